// The grid the figures' Beta densities are computed on (the engine's posterior_density points).

/** Grid points over the bias P(H) in [0, 1] at which posterior_density is asked for a Beta density. */
export const DENSITY_POINTS = 400;
