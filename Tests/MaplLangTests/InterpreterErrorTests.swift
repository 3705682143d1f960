import XCTest
import Foundation
@testable import MaplLang
import MaplNN

final class InterpreterErrorTests: XCTestCase {
    func testUnknownNameSuggestsTheClosest() throws {
        let s = Session()
        try s.run("loss = 1")
        let e = s.error("y = lsos + 1")
        XCTAssertEqual(e?.message, "unknown name 'lsos' — did you mean 'loss'?")
        XCTAssertEqual(e?.range.start.column, 5)
        XCTAssertEqual(e?.range.end.column, 9)
        XCTAssertEqual(e?.kind, .runtime)
        XCTAssertEqual(s.error("sigmod([1])")?.message, "unknown name 'sigmod' — did you mean 'sigmoid'?")
        XCTAssertEqual(s.error("qqqqq")?.message, "unknown name 'qqqqq'")
    }

    /// Python, NumPy and PyTorch spellings get their mapl form (they used to get 'run', 'ones' or nothing).
    func testPythonHabitsGetTheMaplSpelling() throws {
        let s = Session()
        let cases: [(String, String)] = [
            ("x = True", "unknown name 'True' — did you mean 'true'?"),
            ("x = None", "unknown name 'None' — did you mean 'none'?"),
            ("x = False", "unknown name 'False' — did you mean 'false'?"),
            ("m = dense(2, 1) >> ReLU", "unknown name 'ReLU' — did you mean 'relu'?"),
            ("o = Adam", "unknown name 'Adam' — did you mean 'adam'?"),
            ("m = Sequential", "unknown name 'Sequential' — did you mean 'seq'?"),
            ("l = Linear(2, 3)", "unknown name 'Linear' — did you mean 'dense'?"),
            ("x = null", "unknown name 'null' — did you mean 'none'?"),
            ("for i in range(3) { }", "unknown name 'range' — mapl writes ranges as a..b, both ends included: range(n) is 0..n-1"),
            ("y = np.mean([1, 2])", "unknown name 'np': mapl has no modules, builtins are called directly — did you mean 'mean'?"),
            ("y = torch.relu([1])", "unknown name 'torch': mapl has no modules, builtins are called directly — did you mean 'relu'?"),
            ("l = nn.Linear(2, 3)", "unknown name 'nn': mapl has no modules, builtins are called directly — did you mean 'dense'?"),
            ("y = np.linalg.norm([1])", "unknown name 'np': mapl has no modules, builtins are called directly (help() lists them)"),
            ("y = zeros(2).mean()", "a tensor has no field 'mean'; 'mean' is a builtin taking the tensor first: mean(x)"),
            ("y = SIGMOID([1])", "unknown name 'SIGMOID' — did you mean 'sigmoid'?"),
        ]
        for (source, message) in cases { XCTAssertEqual(s.error(source)?.message, message, source) }
        // A name the user bound is theirs, even when it is a module's.
        try s.run("np = zeros(2, 3)")
        XCTAssertEqual(try s.echo("np.shape"), "[2, 3]")
        XCTAssertEqual(s.error("np.foo")?.message, "a tensor has no field 'foo'; fields: shape, ndim, T, grad, size")
    }

    /// Python keywords where mapl expects the end of a statement say what mapl writes instead.
    func testPythonKeywordsSayWhatToWrite() throws {
        let cases: [(String, String, String)] = [
            ("def f(x):\n  return x", "Python's 'def' is 'fn' in mapl: fn f(x) { … }, or f(x) = … on one line", "1:1"),
            ("x = 1\nif x > 0 { y = 1 } elif x < 0 { y = 2 }", "Python's 'elif' is 'else if' in mapl", "2:20"),
            ("f = lambda x: x + 1", "Python's 'lambda x: …' is 'x -> …' in mapl", "1:5"),
            ("import numpy as np", "mapl has no imports: every builtin is always there (help() lists them)", "1:1"),
        ]
        for (source, message, position) in cases {
            XCTAssertThrowsError(try Parser.parse(source), source) { error in
                XCTAssertEqual((error as? MaplError)?.message, message, source)
                XCTAssertEqual((error as? MaplError)?.range.start.description, position, source)
            }
        }
    }

    /// A none read from `.grad` says why it is none (it used to be "cannot multiply a number and a none").
    func testGradBeforeBackwardSaysWhatComputesIt() throws {
        let s = Session()
        try s.run("W = param([[1.0, 2.0], [3.0, 4.0]])\nlr = 0.1\nm = dense(2, 1)\nx = [1.0, 2.0]")
        let e = s.error("W -= lr * W.grad")
        XCTAssertEqual(e?.message, "W has no gradient yet: W.grad is none until backward(loss) computes it")
        XCTAssertEqual(e?.range.start.description, "1:11")
        XCTAssertEqual(e?.range.end.column, 17)
        XCTAssertEqual(s.error("W -= W.grad")?.message, "W has no gradient yet: W.grad is none until backward(loss) computes it")
        XCTAssertEqual(s.error("m.W -= 0.1 * m.W.grad")?.message, "m.W has no gradient yet: m.W.grad is none until backward(loss) computes it")
        XCTAssertEqual(s.error("y = x.grad * 2")?.message, "x.grad is none: x is not a parameter, so backward keeps no gradient for it; make it one with param(…)")
        XCTAssertEqual(s.tensor("W")?.scalars, [1, 2, 3, 4], "W is unchanged")
        // After backward the same statement runs: W − 0.1·∂sum(W²)/∂W = W − 0.2·W = 0.8·W.
        try s.run("backward(sum(W ^ 2))\nW -= lr * W.grad")
        for (got, want) in zip(s.tensor("W")?.scalars ?? [], [Float(0.8), 1.6, 2.4, 3.2]) { XCTAssertEqual(got, want, accuracy: 1e-6) }
    }

    /// `m.layers[0]` on a single layer says so (it used to be "index 0 is out of range for a list of 0 items").
    func testLayersOfASingleLayerSaysItIsOne() throws {
        let s = Session()
        try s.run("m = dense(2, 1)\nn = dense(2, 3) >> relu")
        let e = s.error("m.layers[0].W *= 0")
        XCTAssertEqual(e?.message, "m is a single layer, dense(2, 1), not a model of stages: m.layers is empty; use m itself (m.W, m.b)")
        XCTAssertEqual(e?.range.start.description, "1:1")
        XCTAssertEqual(s.error("n.layers[2]")?.message, "index 2 is out of range for a list of 2 items")
        XCTAssertEqual(try s.echo("n.layers[0]"), "<mapping dense(2, 3)>")
    }

    func testEngineErrorsPointAtTheOperator() throws {
        let s = Session()
        try s.run("x = zeros(64, 784)\nW = zeros(128, 10)")
        let e = s.error("y = 1\nh = x @ W")
        XCTAssertEqual(e?.range.start.line, 2)
        XCTAssertEqual(e?.range.start.column, 5)    // the whole `x @ W`
        XCTAssertEqual(e?.range.end.column, 10)
        XCTAssertTrue(e?.message.contains("[64, 784]") ?? false, e?.message ?? "")
        XCTAssertTrue(e?.message.contains("[128, 10]") ?? false, e?.message ?? "")
        // The rendered report shows the line and a caret under the fault.
        let rendered = e?.render(source: "y = 1\nh = x @ W")
        XCTAssertEqual(rendered?.split(separator: "\n").last, "      ^~~~~")
    }

    func testTypeErrorsNameTheKinds() throws {
        let s = Session()
        XCTAssertEqual(s.error("\"a\" + [1, 2]")?.message, "cannot add a string and a tensor of shape [2]; str(x) turns a value into text: \"loss \" + str(x)")
        XCTAssertEqual(s.error("1 - \"a\"")?.message, "cannot subtract a number and a string")
        XCTAssertEqual(s.error("-\"a\"")?.message, "cannot negate a string")
        XCTAssertEqual(s.error("x = 3\nx(2)")?.message, "'x' is a number, not a mapping; it cannot be called")
        XCTAssertEqual(s.error("relu >> 3")?.message, ">> composes mappings, but the right side is a number")
        XCTAssertEqual(s.error("zeros(2).foo")?.message, "a tensor has no field 'foo'; fields: shape, ndim, T, grad, size")
    }

    func testBuiltinArgumentErrorsPointAtTheArgument() throws {
        let s = Session()
        let e = s.error("s = sum([1, 2], axis=\"rows\")")
        XCTAssertEqual(e?.message, "sum(): 'axis' must be a number, got a string")
        XCTAssertEqual(e?.range.start.column, 17)    // at `axis="rows"`
        XCTAssertEqual(s.error("linspace(1)")?.message, "linspace() takes 3 arguments, got 1")
        XCTAssertEqual(s.error("sum([1], 0, true, 4)")?.message, "sum() takes 1 to 3 arguments, got 4")
        XCTAssertEqual(s.error("zeros(2.5)")?.message, "zeros(): 'dims' must be a whole number, got 2.5")
        XCTAssertEqual(s.error("reshape([1, 2, 3], 2, -1)")?.message.contains("reshape") ?? false, true)
        XCTAssertEqual(s.error("item([1, 2])")?.message, "item(): item needs a tensor with one element, got shape [2]")
    }

    func testAssertFailureIsAnAssertionError() throws {
        let s = Session()
        let e = s.error("assert(1 > 2, \"one is not more than two\")")
        XCTAssertEqual(e?.kind, .assertion)
        XCTAssertEqual(e?.message, "one is not more than two")
        XCTAssertNoThrow(try s.run("assert(close([1, 2], [1, 2.000001]))"))
    }

    func testStatementsOutOfPlace() throws {
        let s = Session()
        XCTAssertEqual(s.error("break")?.message, "'break' outside a loop")
        XCTAssertEqual(s.error("return 1")?.message, "'return' outside a mapping")
        // The parser already rejects a target that is not a name, an index or a field.
        XCTAssertEqual(s.error("3 = 4")?.message, "cannot assign to a number; the target must be a name, an index x[i] or a field x.name")
        XCTAssertEqual(s.error("W = param([1, 2])\nW += zeros(2, 2)")?.message, "cannot change the shape of a parameter from [2] to [2, 2] in place")
    }

    /// Deep recursion ends in a clear error — the native stack (debug build, large-stack thread) survives
    /// the full depth, and a depth just under the limit works.
    func testRecursionLimit() throws {
        let s = Session()
        try s.run("fn count(n) { if n == 0 { return 0 }; return 1 + count(n - 1) }")
        XCTAssertEqual(try s.echo("count(990)"), "990")
        let e = s.error("count(5000)")
        XCTAssertEqual(e?.message, "recursion too deep (limit 1000)")
        // The session is intact afterwards.
        XCTAssertEqual(try s.echo("count(3)"), "3")
        // Lambdas recursing through a global, and runaway mutual recursion, end the same way.
        XCTAssertEqual(s.error("f(x) = g(x)\ng(x) = f(x)\nf(1)")?.message, "recursion too deep (limit 1000)")
    }

    func testInterruptStopsALoopAndKeepsState() throws {
        let s = Session()
        let flag = s.interpreter.interrupt
        let stopper = Thread {
            Thread.sleep(forTimeInterval: 0.2)
            flag.request()
        }
        let started = Date()
        stopper.start()
        let e = s.error("i = 0\nwhile true { i += 1 }")
        XCTAssertEqual(e?.kind, .interrupted)
        XCTAssertGreaterThan(s.number("i") ?? 0, 0)        // the work done so far is kept
        XCTAssertLessThan(Date().timeIntervalSince(started), 30)
        XCTAssertEqual(try s.echo("1 + 1"), "2")            // the flag was cleared
    }

    func testMisuseNeverTraps() throws {
        let s = Session()
        for source in ["zeros(-1)", "eye(-2)", "[1, 2][5]", "x = [1, 2]\nx[7] = 1", "arange(0, 1, 0)", "seed(-1)",
                       "[1][1e300]", "for i in 3 { }", "len(3)", "onehot([5], 3)", "x = []\nx[0]", "concat([], axis=0)",
                       "item(zeros(0))", "precision(99)", "round(1, 1000)", "backward([1, 2])", "[1, 2, 3][::0]",
                       "transpose(zeros(2, 2), 0, 5)", "onehot([1], 1e18)", "linspace(0, 1, 1e15)", "softmax(zeros(2), axis=3)", "1 @ 2", "zero_grad([1, 2])"] {
            XCTAssertNotNil(s.error(source), source)
        }
    }
}
