import XCTest
@testable import MaplLang
import MaplNN

/// Seeded random programs through the parser AND the interpreter: each must run or throw a MaplError —
/// never trap, hang or throw anything else (a crash fails the whole run, which is the point). Programs
/// never contain `while`, loops run over short literal ranges, shapes come from literal digits and the
/// recursion limit is low, so every program ends quickly.
final class BadInputFuzzTests: XCTestCase {
    private typealias Generator = FuzzGenerator

    /// Names bound before every program, one of each kind of value.
    static let prelude = """
    a = 2
    t = [1, -2, 3]
    m = [[1, 2], [3, 4]]
    p = param([0.5, -1])
    s = "s"
    l = [1, "a"]
    f = x -> x * 2
    z = zeros(2, 3)
    n = none
    """

    private struct Outcome { var ran = 0; var failed = 0; var runtimeFailures = 0 }

    private func exercise(_ source: String, _ outcome: inout Outcome) {
        let interpreter = Interpreter()
        interpreter.output = { _ in }
        interpreter.recursionLimit = 30
        do {
            try interpreter.run(try Parser.parse(BadInputFuzzTests.prelude))
            let program = try Parser.parse(source)
            try interpreter.run(program)
            outcome.ran += 1
        } catch let e as MaplError {
            outcome.failed += 1
            if e.kind != .syntax { outcome.runtimeFailures += 1 }
            XCTAssertGreaterThanOrEqual(e.range.start.line, 1, source)
            XCTAssertGreaterThanOrEqual(e.range.start.column, 1, source)
            XCTAssertFalse(e.render(source: source).isEmpty)
        } catch {
            XCTFail("threw a non-MaplError \(error) for \(source.debugDescription)")
        }
    }

    /// Raw token soup: mostly syntax errors, some runnable fragments.
    func testRandomTokenStreamsThroughParserAndInterpreter() {
        let pieces = ["a", "t", "m", "p", "s", "l", "f", "z", "n", "x", "1", "2.5", ".5", "0", "-", "\"s\"", "(", ")", "[", "]",
                      "{", "}", ",", ";", "\n", ":", ".", "->", "|>", ">>", "==", "!=", "<", ">=", "=", "+=", "*=", "+",
                      "*", "/", "%", "@", "^", "if", "else", "for", "in", "0..2", "fn", "return", "break", "continue",
                      "true", "none", "and", "or", "not", "nograd", "sum", "relu", "backward", "reshape", "T", "shape",
                      "grad", "trace", "show", "item", "len", "k="]
        var g = Generator(state: 7)
        var outcome = Outcome()
        for _ in 0..<2000 {
            let length = 1 + g.below(16)
            let source = (0..<length).map { _ in g.pick(pieces) }.joined(separator: g.chance(20) ? "" : " ")
            exercise(source, &outcome)
        }
        XCTAssertEqual(outcome.ran + outcome.failed, 2000)
        XCTAssertGreaterThan(outcome.ran, 0, "some streams should run")
        XCTAssertGreaterThan(outcome.runtimeFailures, 0, "some streams should reach the interpreter and fail there")
    }

    /// Programs from a small grammar: they parse far more often, so the interpreter meets every kind of
    /// value in every position — wrong types, shapes, indices, arities, recursion.
    func testGeneratedProgramsThroughTheInterpreter() {
        var g = Generator(state: 11)
        var outcome = Outcome()
        for _ in 0..<2000 {
            let statements = (0..<(1 + g.below(4))).map { _ in statement(&g, depth: 0) }
            exercise(statements.joined(separator: "\n"), &outcome)
        }
        XCTAssertEqual(outcome.ran + outcome.failed, 2000)
        XCTAssertGreaterThan(outcome.ran, 100, "a fair share should run to the end")
        XCTAssertGreaterThan(outcome.runtimeFailures, 200, "many should fail at run time")
    }

    private static let names = ["a", "t", "m", "p", "s", "l", "f", "z", "n", "q"]
    private static let atoms = ["0", "1", "2", "-1", "0.5", "1e-3", "\"s\"", "true", "none", "[1, 2]", "[[1], [2]]", "[]", "relu"]
    private static let binary = ["+", "-", "*", "/", "%", "@", "^", "==", "!=", "<", ">=", "and", "or", ">>", "|>"]
    private static let calls = ["sum", "mean", "max", "relu", "sigmoid", "exp", "log", "sqrt", "abs", "tanh", "softmax", "argmax",
                                "len", "item", "type", "detach", "transpose", "reshape", "concat", "stack", "clip", "where",
                                "round", "close", "grad", "matmul", "backward", "zero_grad", "param", "tensor", "print",
                                "trace", "graph", "show", "plot", "hist", "heatmap", "gradcheck", "onehot", "precision"]
    private static let fields = ["shape", "T", "grad", "ndim", "size", "x", "foo"]

    private func expression(_ g: inout Generator, depth: Int) -> String {
        if depth > 3 || g.chance(30) { return g.chance(50) ? g.pick(Self.names) : g.pick(Self.atoms) }
        switch g.below(10) {
        case 0, 1: return "\(expression(&g, depth: depth + 1)) \(g.pick(Self.binary)) \(expression(&g, depth: depth + 1))"
        case 2: return (g.chance(50) ? "-" : "not ") + expression(&g, depth: depth + 1)
        case 3, 4:
            let args = (0..<g.below(4)).map { _ in expression(&g, depth: depth + 1) }
            let keyword = g.chance(15) ? [g.pick(["axis", "keepdims", "tol", "n", "bins"]) + "=" + g.pick(Self.atoms)] : []
            return g.pick(Self.calls) + "(" + (args + keyword).joined(separator: ", ") + ")"
        case 5:
            let sub = g.pick(["0", "-1", "5", ":", "1:", "::-1", "0, 1", ":, 0", "::0", "t", "\"a\"", "0.5"])
            return "\(expression(&g, depth: depth + 1))[\(sub)]"
        case 6: return "\(expression(&g, depth: depth + 1)).\(g.pick(Self.fields))"
        case 7: return "(x -> \(expression(&g, depth: depth + 1)))"
        case 8: return "[\(expression(&g, depth: depth + 1)), \(expression(&g, depth: depth + 1))]"
        default: return "\(g.pick(["zeros", "ones", "randn"]))(\(g.below(4)), \(g.below(4)))"
        }
    }

    private func statement(_ g: inout Generator, depth: Int) -> String {
        let e = expression(&g, depth: 0)
        if depth > 1 { return e }
        switch g.below(12) {
        case 0, 1: return "\(g.pick(Self.names)) = \(e)"
        case 2: return "\(g.pick(Self.names)) \(g.pick(["+=", "-=", "*=", "/="])) \(e)"
        case 3: return "\(g.pick(Self.names))[\(g.pick(["0", "-1", "3", ":", "0, 0"]))] = \(e)"
        case 4: return "if \(e) { \(statement(&g, depth: depth + 1)) } else { \(statement(&g, depth: depth + 1)) }"
        case 5: return "for i in 0..\(g.below(3)) { \(statement(&g, depth: depth + 1)) }"
        case 6: return "fn h(x, y=1) { \(statement(&g, depth: depth + 1))\n\(expression(&g, depth: 1)) }\nh(\(e))"
        case 7: return "fn r(k) { r(k) }\nr(\(e))"   // runaway recursion, stopped by the low limit
        case 8: return "nograd { \(statement(&g, depth: depth + 1)) }"
        case 9: return g.pick(["return \(e)", "break", "continue", "\(e) = 1", "f(\(e)) = 2"])
        default: return e
        }
    }
}
