import XCTest
@testable import MaplLang

/// Token streams with their positions, written out by hand (columns count characters, from 1).
final class ScannerTests: XCTestCase {
    /// `text@line:column` per token; a statement-ending newline shows as `⏎`, the end as `EOF`.
    private func stream(_ source: String) throws -> [String] {
        var scanner = Scanner(source)
        return try scanner.scanTokens().map { t in
            let shown: String
            switch t.kind {
            case .newline: shown = "⏎"
            case .eof: shown = "EOF"
            default: shown = t.text
            }
            return "\(shown)@\(t.range.start.line):\(t.range.start.column)"
        }
    }

    private func kinds(_ source: String) throws -> [TokenKind] {
        var scanner = Scanner(source)
        return try scanner.scanTokens().map(\.kind)
    }

    func testPositionsAndComments() throws {
        XCTAssertEqual(try stream("x = 2.5 # c\ny"), ["x@1:1", "=@1:3", "2.5@1:5", "⏎@1:12", "y@2:1", "EOF@2:2"])
        var scanner = Scanner("x = 2.5")
        let number = try scanner.scanTokens()[2]
        XCTAssertEqual(number.range.start.offset, 4)
        XCTAssertEqual(number.range.end.column, 8)   // exclusive end
    }

    func testOperatorsAndPunctuation() throws {
        let symbols: [Symbol] = [.dotDot, .arrow, .pipe, .compose, .equal, .notEqual, .lessEqual, .greaterEqual,
                                 .plusAssign, .minusAssign, .starAssign, .slashAssign, .colon, .at, .caret, .percent,
                                 .dot, .less, .greater, .assign, .plus, .minus, .star, .slash, .comma, .semicolon,
                                 .leftParen, .rightParen, .leftBracket, .rightBracket, .leftBrace, .rightBrace]
        let source = ".. -> |> >> == != <= >= += -= *= /= : @ ^ % . < > = + - * / , ; ( ) [ ] { }"
        XCTAssertEqual(try kinds(source), symbols.map { .symbol($0) } + [.eof])
        // Longest match: `>>=` is `>>` then `=`; `<-` is `<` then `-`.
        XCTAssertEqual(try kinds(">>=<-"), [.symbol(.compose), .symbol(.assign), .symbol(.less), .symbol(.minus), .eof])
    }

    func testNumbers() throws {
        XCTAssertEqual(try kinds("1 2.5 .5 1e-3 1.5E+3 7e2"),
                       [.number(1), .number(2.5), .number(0.5), .number(0.001), .number(1500), .number(700), .eof])
        XCTAssertEqual(try kinds("1..5"), [.number(1), .symbol(.dotDot), .number(5), .eof])
        XCTAssertEqual(try kinds("x.5"), [.name("x"), .number(0.5), .eof])
        XCTAssertEqual(try kinds("3.T"), [.number(3), .symbol(.dot), .name("T"), .eof])
        XCTAssertEqual(try kinds("2-1"), [.number(2), .symbol(.minus), .number(1), .eof])
    }

    func testStrings() throws {
        XCTAssertEqual(try kinds(#""a\nb\t\"q\" \\ end""#), [.string("a\nb\t\"q\" \\ end"), .eof])
        XCTAssertEqual(try kinds("\"\""), [.string(""), .eof])
        XCTAssertEqual(try kinds("\"# not a comment\""), [.string("# not a comment"), .eof])
    }

    func testKeywordsAndNames() throws {
        XCTAssertEqual(try kinds("if iff _x x1 time nograd not and or in"),
                       [.keyword(.if), .name("iff"), .name("_x"), .name("x1"), .name("time"), .keyword(.nograd),
                        .keyword(.not), .keyword(.and), .keyword(.or), .keyword(.in), .eof])
        XCTAssertEqual(Keyword.allCases.count, 16)
    }

    func testNewlinesInsideBracketsAndAfterOperators() throws {
        XCTAssertEqual(try stream("(a\nb)\nc"), ["(@1:1", "a@1:2", "b@2:1", ")@2:2", "⏎@2:3", "c@3:1", "EOF@3:2"])
        XCTAssertEqual(try stream("a,\nb"), ["a@1:1", ",@1:2", "b@2:1", "EOF@2:2"])
        XCTAssertEqual(try stream("a +\nb\n\n\nc"), ["a@1:1", "+@1:3", "b@2:1", "⏎@2:2", "c@5:1", "EOF@5:2"])
        XCTAssertEqual(try stream("[1,\n2]"), ["[@1:1", "1@1:2", ",@1:3", "2@2:1", "]@2:2", "EOF@2:3"])
        // Inside braces, even braces inside parentheses, newlines separate statements again.
        XCTAssertEqual(try stream("f({\na\n})"), ["f@1:1", "(@1:2", "{@1:3", "⏎@1:4", "a@2:1", "⏎@2:2", "}@3:1", ")@3:2", "EOF@3:3"])
        XCTAssertEqual(try stream("\n\nx # c\n"), ["x@3:1", "⏎@3:6", "EOF@4:1"])
        XCTAssertEqual(try stream("a and\nb"), ["a@1:1", "and@1:3", "b@2:1", "EOF@2:2"])
        XCTAssertEqual(try stream("return\nx"), ["return@1:1", "⏎@1:7", "x@2:1", "EOF@2:2"])
    }

    func testColumnsCountCharacters() throws {
        XCTAssertEqual(try stream("α = \"é\" + 1"), ["α@1:1", "=@1:3", "\"é\"@1:5", "+@1:9", "1@1:11", "EOF@1:12"])
        XCTAssertEqual(try stream("a\r\nb"), ["a@1:1", "⏎@1:2", "b@2:1", "EOF@2:2"])
        XCTAssertEqual(try stream("\ta"), ["a@1:2", "EOF@1:3"])
    }

    func testScannerErrors() {
        let cases: [(String, String, String)] = [
            ("x = \"abc", "unterminated string", "1:5"),
            ("s = \"abc\nx = 1", "unterminated string", "1:5"),
            ("x = \"ab\\qc\"", "unknown escape '\\q' in a string; use \\n, \\t, \\\" or \\\\", "1:8"),
            ("x = 5 $", "unexpected character '$' (U+0024 DOLLAR SIGN)", "1:7"),
            // Invisible characters are named, never echoed; look-alikes get the ASCII character to type.
            ("x = 1\u{0} + 2", "unexpected invisible character (U+0000 NUL); delete it", "1:6"),
            ("x\u{200B} = 1", "unexpected invisible character (U+200B ZERO WIDTH SPACE); delete it", "1:2"),
            ("\u{FEFF}x = 1\n\u{FEFF}y = 2", "unexpected invisible character (U+FEFF ZERO WIDTH NO-BREAK SPACE); delete it", "1:1"),
            ("x = 1\u{1B}[0m", "unexpected invisible character (U+001B ESCAPE); delete it", "1:6"),
            ("ab\u{200D}c = 1", "invisible character (U+200D ZERO WIDTH JOINER) in a name; delete it", "1:2"),
            ("print（1）", "unexpected character '（' (U+FF08 FULLWIDTH LEFT PARENTHESIS); use '(' instead", "1:6"),
            ("f(1，2)", "unexpected character '，' (U+FF0C FULLWIDTH COMMA); use ',' instead", "1:4"),
            ("f(1、2)", "unexpected character '、' (U+3001 IDEOGRAPHIC COMMA); use ',' instead", "1:4"),
            ("x = 1\u{A0}+ 2", "unexpected character (U+00A0 NO-BREAK SPACE); use a plain space", "1:6"),
            ("x =\u{3000}1", "unexpected character (U+3000 IDEOGRAPHIC SPACE); use a plain space", "1:4"),
            ("y = x − 1", "unexpected character '−' (U+2212 MINUS SIGN); use '-' instead", "1:7"),
            ("print(“hi”)", "unexpected character '“' (U+201C LEFT DOUBLE QUOTATION MARK); use '\"' instead", "1:7"),
            ("if a ≤ b { }", "unexpected character '≤' (U+2264 LESS-THAN OR EQUAL TO); use '<=' instead", "1:6"),
            ("x = 2 × 3", "unexpected character '×' (U+00D7 MULTIPLICATION SIGN); use '*' instead", "1:7"),
            ("x = 3 € 4", "unexpected character '€' (U+20AC EURO SIGN)", "1:7"),
            ("x = 2e", "malformed number '2e'", "1:5"),
            ("y = 3abc", "malformed number '3abc'", "1:5"),
            ("x = 1e999", "number '1e999' is too large", "1:5"),
            ("a && b", "unexpected '&&'; use 'and'", "1:3"),
            ("!a", "unexpected '!'; use 'not' for negation", "1:1"),
            ("x = 1 ** 2", "'**' is not an operator; use '^' for powers", "1:7"),
            ("a | b", "unexpected '|'; did you mean '|>'?", "1:3"),
        ]
        for (source, message, position) in cases {
            var scanner = Scanner(source)
            XCTAssertThrowsError(try scanner.scanTokens(), source) { error in
                guard let e = error as? MaplError else { return XCTFail("not a MaplError: \(error)") }
                XCTAssertEqual(e.kind, .syntax, source)
                XCTAssertEqual(e.message, message, source)
                XCTAssertEqual(e.range.start.description, position, source)
            }
        }
    }
}
