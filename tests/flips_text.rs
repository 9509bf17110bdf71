//! Flips as people write them: H/T or 0/1 with any separators, each refusal naming the first bad character by its position; and the predictions CSV.

use promptlab::bayes::Posterior;
use promptlab::predict::{bayes_rows, parse_flips, predictions_csv, FlipsTextError, Notation, Place, MAX_FLIPS, PREDICTIONS_HEADER};
use promptlab::sources::Source;
use promptlab::Error;
use proptest::prelude::*;

const SEPARATORS: &[&str] = &[" ", "  ", "\t", "\n", "\r\n", "\r", ",", ", ", ";", "|", "/", "-", "_", ".", "\u{00A0}", ""];

fn place(position: usize, line: usize, column: usize, multiline: bool) -> Place {
    Place { position, line, column, multiline }
}

#[test]
fn letters_and_digits_with_separators_read_as_tokens() {
    assert_eq!(parse_flips("HTTH", 10).unwrap(), vec![0, 1, 1, 0]);
    assert_eq!(parse_flips("h t,T;H|h/t-T_H.h", 10).unwrap(), vec![0, 1, 1, 0, 0, 1, 1, 0, 0]);
    assert_eq!(parse_flips("0 1\n1\r\n0\r1", 10).unwrap(), vec![0, 1, 1, 0, 1]);
    assert_eq!(parse_flips("\u{FEFF}H\nT\n", 10).unwrap(), vec![0, 1], "a byte order mark at the start is skipped");
    assert_eq!(parse_flips(&"T".repeat(MAX_FLIPS), MAX_FLIPS).unwrap().len(), MAX_FLIPS);
    assert_eq!(MAX_FLIPS, promptlab::config::MAX_SEQUENCE_LENGTH, "Predict reads as many flips as the network takes");
}

#[test]
fn the_first_bad_character_is_named_with_its_position() {
    let e = parse_flips("H T x y", 10).unwrap_err();
    assert_eq!(e, FlipsTextError::BadCharacter { character: 'x', place: place(5, 1, 5, false) });
    assert_eq!(e.to_string(), "Character 5 is “x”: use H and T (or 0 and 1), separated by spaces, commas or new lines if you like.");
    // Counted in characters, not bytes: é and the emoji are one each.
    let e = parse_flips("H é", 10).unwrap_err();
    assert_eq!(e, FlipsTextError::BadCharacter { character: 'é', place: place(3, 1, 3, false) });
    let e = parse_flips("HT🙂T", 10).unwrap_err();
    assert_eq!(e, FlipsTextError::BadCharacter { character: '🙂', place: place(3, 1, 3, false) });
    let e = parse_flips("🙂🙂x", 10).unwrap_err();
    assert_eq!(e.place().unwrap().1.position, 1);
}

#[test]
fn several_lines_name_the_line_and_column() {
    let e = parse_flips("HT\nTH\nHxT", 10).unwrap_err();
    assert_eq!(e, FlipsTextError::BadCharacter { character: 'x', place: place(8, 3, 2, true) });
    assert_eq!(e.to_string(), "Character 8 (line 3, column 2) is “x”: use H and T (or 0 and 1), separated by spaces, commas or new lines if you like.");
    // CR LF is one line end (two characters), a lone CR is one too.
    let e = parse_flips("H\r\nT\rH\n?", 10).unwrap_err();
    assert_eq!(e, FlipsTextError::BadCharacter { character: '?', place: place(8, 4, 1, true) });
}

#[test]
fn invisible_and_control_characters_are_shown_by_code_point() {
    let e = parse_flips("HT\u{200B}T", 10).unwrap_err();
    assert_eq!(e.to_string(), "Character 3 is U+200B: use H and T (or 0 and 1), separated by spaces, commas or new lines if you like.");
    let e = parse_flips("H\u{7}", 10).unwrap_err();
    assert!(e.to_string().starts_with("Character 2 is U+0007:"), "{e}");
    let e = parse_flips("H\u{FEFF}", 10).unwrap_err();
    assert!(e.to_string().starts_with("Character 2 is U+FEFF:"), "only a leading byte order mark is skipped: {e}");
}

#[test]
fn mixing_letters_and_digits_is_refused_where_it_switches() {
    let e = parse_flips("H T h,t;0", 10).unwrap_err();
    assert_eq!(e, FlipsTextError::MixedNotation { character: '0', place: place(9, 1, 9, false), earlier: Notation::Letters });
    assert_eq!(e.to_string(), "Character 9 is “0”, but the flips before it are written as H and T: write every flip as H and T, or every flip as 0 and 1.");
    let e = parse_flips("01\n1t", 10).unwrap_err();
    assert_eq!(e, FlipsTextError::MixedNotation { character: 't', place: place(5, 2, 2, true), earlier: Notation::Digits });
}

#[test]
fn too_many_and_none_are_refused() {
    let e = parse_flips(&"H,".repeat(12), 10).unwrap_err();
    assert_eq!(e, FlipsTextError::TooMany { count: 12, max: 10 });
    assert_eq!(e.to_string(), "That is 12 flips; at most 10 are read at once.");
    // A bad character is named first, wherever it stands.
    assert!(matches!(parse_flips(&format!("{}x", "H".repeat(20)), 10), Err(FlipsTextError::BadCharacter { .. })));
    for empty in ["", " ", "\n\n", ",;|", "\u{FEFF}"] {
        assert_eq!(parse_flips(empty, 10), Err(FlipsTextError::Empty), "{empty:?}");
    }
}

#[test]
fn refusals_become_the_engines_error_for_field_flips() {
    let Error::Invalid { field, value, allowed } = Error::from(parse_flips("HT\nHx", 10).unwrap_err()) else { panic!("not a refusal") };
    assert_eq!(field, "flips");
    assert_eq!(value, "character 5 (line 2, column 2) “x”");
    assert!(allowed.starts_with("H and T (or 0 and 1)"), "{allowed}");
    let Error::Invalid { field, value, allowed } = Error::from(parse_flips("0000", 3).unwrap_err()) else { panic!("not a refusal") };
    assert_eq!((field.as_str(), value.as_str(), allowed.as_str()), ("flips", "4 flips", "at most 3 flips"));
}

/// A string of flips in one notation with random separators, and the tokens it writes.
fn written_flips() -> impl Strategy<Value = (String, Vec<u32>)> {
    (prop::collection::vec((0u32..2, 0usize..SEPARATORS.len(), any::<bool>()), 1..200), any::<bool>()).prop_map(|(flips, digits)| {
        let mut text = String::new();
        for &(t, sep, upper) in &flips {
            let c = match (digits, t, upper) {
                (true, 0, _) => '0',
                (true, _, _) => '1',
                (false, 0, true) => 'H',
                (false, 0, false) => 'h',
                (false, _, true) => 'T',
                (false, _, false) => 't',
            };
            text.push(c);
            text.push_str(SEPARATORS[sep]);
        }
        (text, flips.iter().map(|f| f.0).collect())
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 20_000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn any_text_is_read_or_refused_without_panicking(text in any::<String>(), max in 0usize..50) {
        match parse_flips(&text, max) {
            Ok(tokens) => {
                prop_assert!(!tokens.is_empty() && tokens.len() <= max);
                prop_assert!(tokens.iter().all(|&t| t < 2));
            }
            Err(e) => {
                prop_assert!(!e.to_string().is_empty());
                if let Some((c, p)) = e.place() {
                    prop_assert_eq!(text.chars().nth(p.position - 1), Some(c));
                }
            }
        }
    }

    #[test]
    fn written_flips_round_trip((text, tokens) in written_flips()) {
        prop_assert_eq!(parse_flips(&text, MAX_FLIPS).unwrap(), tokens);
    }

    #[test]
    fn the_first_bad_character_is_found_where_it_was_put(
        (text, _) in written_flips(),
        cut in any::<prop::sample::Index>(),
        bad in prop::sample::select(vec!['x', 'é', '🙂', '\u{200B}', '\u{0}', '2', 'A', '#', '"']),
    ) {
        let chars: Vec<char> = text.chars().collect();
        let at = cut.index(chars.len() + 1);
        let spoiled: String = chars[..at].iter().chain([bad].iter()).chain(chars[at..].iter()).collect();
        let e = parse_flips(&spoiled, MAX_FLIPS).unwrap_err();
        let (c, p) = e.place().expect("a refusal of one character");
        prop_assert_eq!((c, p.position), (bad, at + 1));
        // Line and column agree with the text before it.
        let before: String = chars[..at].iter().collect();
        let lines = before.replace("\r\n", "\n").replace('\r', "\n");
        let line = lines.matches('\n').count() + 1;
        let column = lines.rsplit('\n').next().unwrap().chars().count() + 1;
        prop_assert_eq!((p.line, p.column), (line, column));
        prop_assert_eq!(p.multiline, spoiled.contains(['\n', '\r']));
    }
}

#[test]
fn predictions_csv_has_one_row_per_prefix_with_the_numbers_in_full() {
    let source = Source::Random { alphas: vec![1.0, 1.0] };
    let tokens = parse_flips("H T T", MAX_FLIPS).unwrap();
    let bayes: Vec<f64> = bayes_rows(&source, &tokens).unwrap().iter().map(|r| r[0]).collect();
    let net = vec![0.5, 0.6, 0.45, 0.3];
    let csv = predictions_csv(&tokens, &bayes, Some(&net)).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], PREDICTIONS_HEADER);
    assert_eq!(lines.len(), 5);
    assert_eq!(lines[1], "0,,0.5,0.5,0");
    assert_eq!(lines[2], format!("1,H,{},0.6,{}", 2.0 / 3.0, 0.6 - 2.0 / 3.0));
    for (k, line) in lines[1..].iter().enumerate() {
        let cells: Vec<&str> = line.split(',').collect();
        assert_eq!(cells.len(), 5);
        assert_eq!(cells[0].parse::<usize>().unwrap(), k);
        assert_eq!(cells[1], if k == 0 { "" } else { ["H", "T"][tokens[k - 1] as usize] });
        assert_eq!(cells[2].parse::<f64>().unwrap(), bayes[k], "Bayes read back exactly");
        assert_eq!(cells[3].parse::<f64>().unwrap(), net[k]);
    }
    // Laplace's rule along the way, from the posterior itself.
    let mut post = Posterior::new(&source).unwrap();
    let mut lp = vec![0.0; 2];
    for k in 0..=tokens.len() {
        post.log_predictive(&mut lp);
        assert!((lp[0].exp() - bayes[k]).abs() < 1e-15);
        if k < tokens.len() {
            post.observe(tokens[k]).unwrap();
        }
    }
}

#[test]
fn predictions_csv_without_a_network_and_its_refusals() {
    let csv = predictions_csv(&[1], &[0.5, 1.0 / 3.0], None).unwrap();
    assert_eq!(csv, format!("{PREDICTIONS_HEADER}\n0,,0.5,,\n1,T,{},,\n", 1.0 / 3.0));
    let Err(Error::Invalid { field, .. }) = predictions_csv(&[0, 1], &[0.5, 0.5], None) else { panic!("too few rows accepted") };
    assert_eq!(field, "bayes_p_heads");
    let Err(Error::Invalid { field, .. }) = predictions_csv(&[0], &[0.5, 0.5], Some(&[0.5])) else { panic!("too few network rows accepted") };
    assert_eq!(field, "network_p_heads");
    let Err(Error::Invalid { field, .. }) = predictions_csv(&[2], &[0.5, 0.5], None) else { panic!("token 2 accepted") };
    assert_eq!(field, "tokens[0]");
}
