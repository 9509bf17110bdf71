// Flips a person pastes, read by the engine through the browser door: tokens, refusals with a sentence and a position, the limit, the CSV.
import { test } from "node:test";
import assert from "node:assert/strict";
import { engine } from "../common/engine.mjs";
import * as S from "../../web/state.js";

/** The Error `f` throws (failing when it returns). */
function refusal(f) {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof Error, `not an Error: ${e}`);
    return e;
  }
  assert.fail("accepted");
}

test("parse_flips: letters or digits with separators become digit tokens", () => {
  assert.equal(engine.parse_flips("H, t; T | h / H - T _ t . h\nT\r\n"), "011001101");
  assert.equal(engine.parse_flips("0 1 1 0"), "0110");
});

test("parse_flips: a refusal is the engine's error for field flips, with a sentence and the first bad character's place", () => {
  const e = refusal(() => engine.parse_flips("H T h,t;0"));
  assert.equal(e.field, "flips");
  assert.match(e.message, /^invalid flips = character 9 “0”: must be H and T/);
  assert.equal(e.sentence, "Character 9 is “0”, but the flips before it are written as H and T: write every flip as H and T, or every flip as 0 and 1.");
  assert.deepEqual([e.character, e.position, e.line, e.column], ["0", 9, 1, 9]);
  // Positions count characters as JS's string iterator does: the emoji is one.
  const text = "HT\nTH\nH🙂T";
  const emoji = refusal(() => engine.parse_flips(text));
  assert.equal(emoji.sentence, "Character 8 (line 3, column 2) is “🙂”: use H and T (or 0 and 1), separated by spaces, commas or new lines if you like.");
  assert.equal([...text][emoji.position - 1], "🙂");
  const many = refusal(() => engine.parse_flips("T".repeat(engine.max_flips() + 1)));
  assert.equal(many.sentence, `That is ${engine.max_flips() + 1} flips; at most ${engine.max_flips()} are read at once.`);
  assert.equal(many.position, undefined, "no place for a count");
  assert.match(refusal(() => engine.parse_flips(" ,\n")).sentence, /no flips/);
});

test("max_flips: the page's link limit is the engine's", () => {
  assert.equal(engine.max_flips(), 10_000);
  assert.equal(S.MAX_FLIPS, engine.max_flips());
  // Ten thousand flips with the longest hard prompt still fit the link.
  const link = S.serialize({ ...S.defaults(), view: "predict", flips: "01".repeat(5000), hard: "0".repeat(256) });
  assert.ok(link.length <= S.MAX_HASH, `${link.length} characters`);
  assert.equal(S.parse(link).state.flips, "01".repeat(5000));
});

test("predictions_csv: one row per prefix with the engine's numbers, read back exactly", () => {
  const source = '{"kind":"random","alphas":[1,1]}';
  const bayes = engine.bayes_next(source, "011").map((r) => r[0]);
  const net = [0.5, 0.4, 0.45, 0.3];
  const lines = engine.predictions_csv("011", bayes, net).trim().split("\n");
  assert.equal(lines[0], "flips_seen,flip,bayes_p_heads,network_p_heads,network_minus_bayes");
  assert.equal(lines.length, 5);
  lines.slice(1).forEach((line, k) => {
    const [seen, flip, b, n, d] = line.split(",");
    assert.equal(Number(seen), k);
    assert.equal(flip, k === 0 ? "" : "HT"["011"[k - 1]]);
    assert.equal(Number(b), bayes[k]);
    assert.equal(Number(n), net[k]);
    assert.equal(Number(d), net[k] - bayes[k]);
  });
  assert.equal(engine.predictions_csv("1", [0.5, 1 / 3], undefined).trim().split("\n")[2], `1,T,${1 / 3},,`);
  assert.equal(refusal(() => engine.predictions_csv("01", [0.5], undefined)).field, "bayes_p_heads");
});
