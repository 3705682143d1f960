import XCTest
import Foundation
import MaplLang

/// The one display-width measure, on the cases where the notebook's (the C locale's `wcwidth`) and the error
/// carets' (a table of CJK blocks, first scalar only) used to disagree. Expected widths are the columns a
/// UTF-8 terminal gives each character (Unicode's East Asian Width and Emoji_Presentation), by hand.
final class DisplayWidthTests: XCTestCase {
    func testWideCJKTakesTwoColumnsWhateverTheLocale() {
        let saved = String(cString: setlocale(LC_ALL, nil))
        defer { setlocale(LC_ALL, saved) }
        for locale in ["C", "C.UTF-8"] {
            setlocale(LC_ALL, locale)
            XCTAssertEqual(DisplayWidth.of("中" as Character), 2, locale)   // CJK ideograph
            XCTAssertEqual(DisplayWidth.of("한" as Character), 2, locale)   // Hangul syllable
            XCTAssertEqual(DisplayWidth.of("ｗ" as Character), 2, locale)   // full-width Latin
            XCTAssertEqual(DisplayWidth.of("の" as Character), 2, locale)   // hiragana
            XCTAssertEqual(DisplayWidth.of("名前"), 4, locale)
        }
    }

    func testCombiningMarksAddNothing() {
        XCTAssertEqual(DisplayWidth.of("e\u{301}" as Character), 1)         // e + combining acute
        XCTAssertEqual(DisplayWidth.of("é" as Character), 1)                // precomposed
        XCTAssertEqual(DisplayWidth.of("a\u{323}\u{302}" as Character), 1)  // two marks
        XCTAssertEqual(DisplayWidth.of("中\u{301}" as Character), 2)
        XCTAssertEqual(DisplayWidth.of("\u{1100}\u{1161}" as Character), 2) // Hangul jamo ᄀ + ᅡ: one syllable
        XCTAssertEqual(DisplayWidth.of("cafe\u{301}"), 4)
        // A mark with no base still takes the one cell a front end gives every character.
        XCTAssertEqual(DisplayWidth.of("\u{301}" as Character), 1)
    }

    func testEmojiTakeTwoColumns() {
        XCTAssertEqual(DisplayWidth.of("😀" as Character), 2)   // U+1F600
        XCTAssertEqual(DisplayWidth.of("🚀" as Character), 2)   // U+1F680: outside the old table's blocks
        XCTAssertEqual(DisplayWidth.of("⭐" as Character), 2)   // U+2B50 in the BMP
        XCTAssertEqual(DisplayWidth.of("⌚" as Character), 2)   // U+231A
        XCTAssertEqual(DisplayWidth.of("🫠" as Character), 2)   // U+1FAE0
        XCTAssertEqual(DisplayWidth.of("👨‍👩‍👧" as Character), 2)  // a ZWJ sequence is one picture
        XCTAssertEqual(DisplayWidth.of("🇫🇷" as Character), 2)  // a flag: two regional indicators
        XCTAssertEqual(DisplayWidth.of("👍🏽" as Character), 2)  // with a skin-tone modifier
        XCTAssertEqual(DisplayWidth.of("loss 📉"), 7)
        // Text-presentation symbols stay narrow.
        XCTAssertEqual(DisplayWidth.of("→" as Character), 1)
        XCTAssertEqual(DisplayWidth.of("█" as Character), 1)
    }

    func testControlAndInvisibleCharactersTakeOneCell() {
        XCTAssertEqual(DisplayWidth.of("\u{7}" as Character), 1)     // BEL
        XCTAssertEqual(DisplayWidth.of("\u{1B}" as Character), 1)    // ESC
        XCTAssertEqual(DisplayWidth.of("\u{7F}" as Character), 1)    // DEL
        XCTAssertEqual(DisplayWidth.of("\u{9B}" as Character), 1)    // C1 CSI
        XCTAssertEqual(DisplayWidth.of("\u{200B}" as Character), 1)  // zero-width space, alone
        XCTAssertEqual(DisplayWidth.of("a\u{7}b"), 3)
        XCTAssertEqual(DisplayWidth.of(""), 0)
    }
}
