import XCTest
@testable import MaplLang

/// Randomised robustness: seeded, deterministic inputs that must either parse or throw a `MaplError` — never
/// trap, hang or throw anything else. A crash here fails the whole test run, which is the point.
final class ParserFuzzTests: XCTestCase {
    private typealias Generator = FuzzGenerator

    /// Runs one input through scanner, parser, printer and `isComplete`; counts what happened.
    private func exercise(_ source: String, parsed: inout Int, rejected: inout Int) {
        do {
            let program = try Parser.parse(source)
            _ = program.debugDescription
            parsed += 1
            XCTAssertTrue(Parser.isComplete(source), source)
        } catch let error as MaplError {
            rejected += 1
            XCTAssertEqual(error.kind, .syntax)
            XCTAssertGreaterThanOrEqual(error.range.start.line, 1)
            XCTAssertGreaterThanOrEqual(error.range.start.column, 1)
            _ = error.render(source: source)
            _ = Parser.isComplete(source)
        } catch {
            XCTFail("threw a non-MaplError \(error) for \(source.debugDescription)")
        }
    }

    func testRandomTokenStreams() {
        let pieces = ["x", "y", "f", "time", "1", "2.5", ".5", "1e-3", "\"s\"", "(", ")", "[", "]", "{", "}", ",", ";",
                      "\n", ":", ".", "..", "->", "|>", ">>", "==", "!=", "<", "<=", ">", ">=", "=", "+=", "-=", "*=",
                      "/=", "+", "-", "*", "/", "%", "@", "^", "if", "else", "for", "in", "while", "fn", "return",
                      "break", "continue", "true", "false", "none", "and", "or", "not", "nograd", "# c\n", "k="]
        var g = Generator(state: 2024)
        var parsed = 0, rejected = 0
        for _ in 0..<4000 {
            let length = 1 + g.below(24)
            let source = (0..<length).map { _ in g.pick(pieces) }.joined(separator: g.below(4) == 0 ? "" : " ")
            exercise(source, parsed: &parsed, rejected: &rejected)
        }
        XCTAssertEqual(parsed + rejected, 4000)
        XCTAssertGreaterThan(parsed, 0, "the generator should hit some valid programs too")
    }

    func testMutatedValidPrograms() {
        let seeds = [
            "fn f(x, lr=0.1) {\n  y = x^2 + 1\n  return y\n}\n",
            "model = flatten >> dense(784, 128, act=relu) >> dense(128, 10)\nh = fit(model, d, epochs=2)\n",
            "for e in 1..5 { if e % 2 == 0 { continue } else { print(e) } }\n",
            "W[0, 1:3] -= 0.1 * W.grad[:, ::2]\nf(x) = x |> sigmoid\nt = time { nograd { y = m(x) } }\n",
            "g = (a, b) -> a @ b.T\nwhile not done and i < 10 { i += 1 }\n",
        ]
        var g = Generator(state: 7)
        var parsed = 0, rejected = 0
        for _ in 0..<1500 {
            var chars = Array(g.pick(seeds))
            for _ in 0..<(1 + g.below(4)) {
                guard !chars.isEmpty else { break }
                let at = g.below(chars.count)
                switch g.below(3) {
                case 0: chars.remove(at: at)
                case 1: chars.insert(g.pick(Array("()[]{},.:;=+-*/^@<>|\"\\#\n x1")), at: at)
                default: chars.swapAt(at, g.below(chars.count))
                }
            }
            exercise(String(chars), parsed: &parsed, rejected: &rejected)
        }
        XCTAssertEqual(parsed + rejected, 1500)
    }

    func testRandomCharacters() {
        let alphabet = Array("abxyz019_.,:;()[]{}+-*/%@^=<>!|&\"\\# \t\n\r→é😀$?'`")
        var g = Generator(state: 99)
        var parsed = 0, rejected = 0
        for _ in 0..<1500 {
            let source = String((0..<g.below(40)).map { _ in g.pick(alphabet) })
            exercise(source, parsed: &parsed, rejected: &rejected)
        }
        XCTAssertEqual(parsed + rejected, 1500)
    }

    /// Far past the nesting limits (200 levels, trees 400 tall), yet each must end in a positioned error.
    func testPathologicalInputsDoNotOverflow() {
        let inputs = [
            String(repeating: "[", count: 5_000),
            String(repeating: "-", count: 5_000) + "1",
            String(repeating: "not ", count: 5_000) + "a",
            String(repeating: "x -> ", count: 5_000) + "x",
            "a" + String(repeating: " + a", count: 5_000),
            "x" + String(repeating: ".y", count: 5_000),
            String(repeating: "2^", count: 5_000) + "2",
            String(repeating: "{", count: 5_000),
            String(repeating: "time {", count: 5_000),
            String(repeating: "if a { } else ", count: 2_000) + "{ }",
            String(repeating: "(", count: 5_000) + "1" + String(repeating: ")", count: 10_000),
            String(repeating: "\"", count: 5_001),
        ]
        for source in inputs {
            XCTAssertThrowsError(try Parser.parse(source)) { error in
                XCTAssertTrue(error is MaplError, "\(error)")
            }
            _ = Parser.isComplete(source)
        }
    }
}
