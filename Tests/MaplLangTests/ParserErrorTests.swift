import XCTest
@testable import MaplLang

/// Syntax errors: the message users see and the exact line:column it points at, worked out by hand.
final class ParserErrorTests: XCTestCase {
    private func expectError(_ source: String, _ message: String, at position: String,
                             file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try Parser.parse(source), source, file: file, line: line) { error in
            guard let e = error as? MaplError else { return XCTFail("not a MaplError: \(error)", file: file, line: line) }
            XCTAssertEqual(e.kind, .syntax, source, file: file, line: line)
            XCTAssertEqual(e.message, message, source, file: file, line: line)
            XCTAssertEqual(e.range.start.description, position, source, file: file, line: line)
        }
    }

    func testUnclosedBrackets() {
        expectError("x = (1 + 2", "expected ')' to close '(' at 1:5", at: "1:11")
        expectError("y = 1\nz = f(a\n  b)", "expected ')' to close '(' at 2:6", at: "3:3")
        expectError("x = [1, 2", "expected ']' to close '[' at 1:5", at: "1:10")
        expectError("if x { y", "expected '}' to close '{' at 1:6", at: "1:9")
        expectError("print(\"a\" \"b\")", "expected ')' to close '(' at 1:6", at: "1:11")
        expectError("(a, b)", "expected ')' to close '(' at 1:1", at: "1:3")
        expectError("x[1, 2", "expected ']' to close '[' at 1:2", at: "1:7")
    }

    func testMissingOperands() {
        expectError("x = 1 +", "expected an expression after '+'", at: "1:8")
        expectError("x = 1 + )", "expected an expression after '+', found ')'", at: "1:9")
        expectError("x = ", "expected an expression after '='", at: "1:5")
        expectError("f(a, ,)", "expected an expression after ','", at: "1:6")
        expectError("y = a |> |> f", "expected an expression after '|>'", at: "1:10")
    }

    func testUnexpectedTokens() {
        expectError("}", "unexpected '}'", at: "1:1")
        expectError("x = 1 }", "unexpected '}'", at: "1:7")
        expectError("x = 1 2", "expected the end of the statement (a new line or ';'), found '2'", at: "1:7")
        expectError("else { }", "unexpected 'else'", at: "1:1")
        expectError("x.(y)", "expected a field name after '.', found '('", at: "1:3")
        expectError("x[]", "expected an index between '[' and ']'", at: "1:3")
    }

    func testAssignmentTargets() {
        expectError("1 = x", "cannot assign to a number; the target must be a name, an index x[i] or a field x.name", at: "1:1")
        expectError("a + b = 3", "cannot assign to the result of '+'; the target must be a name, an index x[i] or a field x.name", at: "1:1")
        expectError("f(1) = 2", "cannot assign to a call; to define a mapping, name its parameters: f(x, y) = …", at: "1:3")
        expectError("g(x).W = 2", "cannot assign to a call; the target must be a name, an index x[i] or a field x.name", at: "1:1")
        expectError("x + 1 += 2", "cannot assign to the result of '+'; the target must be a name, an index x[i] or a field x.name", at: "1:1")
    }

    func testStatementForms() {
        expectError("if x = 1 { }", "expected '{' after the condition of 'if', found '=' (use '==' to compare)", at: "1:6")
        expectError("while x\ny = 1", "expected '{' after the condition of 'while', found the end of the line", at: "1:8")
        expectError("for 1 in xs { }", "expected a loop variable name after 'for', found '1'", at: "1:5")
        expectError("for i xs { }", "expected 'in' after 'for i', found 'xs'", at: "1:7")
        expectError("fn (x) { }", "expected a name after 'fn', found '('", at: "1:4")
        expectError("fn f(x, 1) { }", "expected a parameter name, found '1'", at: "1:9")
        expectError("fn f(a, a) { }", "duplicate parameter 'a'", at: "1:9")
        expectError("nograd y = 1", "expected '{' after 'nograd', found 'y'", at: "1:8")
        expectError("if a { } else x", "expected '{' after 'else', found 'x'", at: "1:15")
    }

    func testOperatorRules() {
        expectError("a..b..c", "ranges do not chain; use parentheses", at: "1:5")
        expectError("a + not b", "'not' must be parenthesised here: write (not …)", at: "1:5")
        expectError("f(k=1, 2)", "a positional argument cannot follow keyword arguments", at: "1:8")
        expectError("f(k=1, k=2)", "duplicate keyword argument 'k'", at: "1:8")
        expectError("(a, a) -> a", "duplicate parameter 'a'", at: "1:5")
    }

    func testScannerErrorsSurfaceThroughParse() {
        expectError("x = \"abc", "unterminated string", at: "1:5")
        expectError("\n  s = \"a\\zb\"", "unknown escape '\\z' in a string; use \\n, \\t, \\\" or \\\\", at: "2:9")
    }

    func testNestingLimits() {
        // The 201st nested expression starts at the 201st '('.
        expectError(String(repeating: "(", count: 300) + "1" + String(repeating: ")", count: 300),
                    "expression nested too deeply", at: "1:201")
        // `x = ` takes 4 columns; the 201st nested expression starts at the 201st '-', column 204 + 1.
        expectError("x = " + String(repeating: "-", count: 300) + "1", "expression nested too deeply", at: "1:205")
        // Block statements keep one level for their condition: the 200th nested `if` (line 200) is refused.
        expectError(String(repeating: "if a {\n", count: 250) + String(repeating: "}\n", count: 250),
                    "block nested too deeply", at: "200:1")
        // A long left-leaning chain: `1+1+…`; the k-th '+' sits at column 2k and makes a tree k+1 tall,
        // so the 400th '+' (column 800) is the first past maxHeight = 400.
        // It is long, not nested, and the message says so.
        expectError("1" + String(repeating: "+1", count: 500), "expression too long: more than 400 operations in one expression; split it over several statements (or use sum(...) over a list)", at: "1:800")
        // Each `if a { } else ` is 14 columns; the `if` is level 1, the k-th `else` level k + 1, and the
        // 199th `else` (column 14·198 + 10) is refused the same way.
        expectError(String(repeating: "if a { } else ", count: 250) + "{ }", "block nested too deeply", at: "1:2782")
        expectError("f" + String(repeating: "()", count: 500), "expression nested too deeply", at: "1:800")
    }

    func testRenderedReport() {
        let source = "y = 1\nz = f(a\n  b)"
        XCTAssertThrowsError(try Parser.parse(source)) { error in
            guard let e = error as? MaplError else { return XCTFail("not a MaplError") }
            XCTAssertEqual(e.render(source: source, file: "t.mapl"),
                           "t.mapl:3:3: syntax error: expected ')' to close '(' at 2:6\n    b)\n    ^")
        }
    }
}
