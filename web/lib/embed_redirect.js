// Sends an old full-page embed link (index.html#…&embed=NAME) to the embed page before anything is drawn.
if (/(^#|&)embed=[a-z_]+(&|$)/.test(location.hash)) location.replace(`embed.html${location.hash}`);
