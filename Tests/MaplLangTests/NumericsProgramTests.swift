import Foundation
import XCTest
@testable import MaplLang
import MaplNN
import MaplTestSupport

/// The programs of issue 12 that gave silently wrong numbers, as a user types them, against NumPy.
final class NumericsProgramTests: XCTestCase {
    /// Item 1: reductions over 10⁷ elements and 5000 × 5000. Before: 16777216, 0.6711, 100958.34, 0.6711,
    /// 0.1452, 2.2820. NumPy: `np.sum(np.ones(20000000, np.float32))` = 2e7, `np.mean(np.ones((5000, 5000),
    /// np.float32))` = 1.0, `np.sum(np.full(1000000, 0.1, np.float32).astype(np.float64))` = 100000.0015
    /// (100000.0 in float32; NumPy's float32 sum says 100000.01), the mse 1.0, `np.var(np.ones(20000000,
    /// np.float32) * 3)` = 0.0, and uniform logits' cross-entropy `np.float32(np.log(10))` = 2.3025851.
    func testReductionsAtTheSizesUsersReach() throws {
        let s = Session()
        XCTAssertEqual(try s.echo("sum(ones(20000000))"), "20000000")
        XCTAssertEqual(try s.echo("mean(ones(5000, 5000))"), "1")
        XCTAssertEqual(try s.echo("sum(full([1000000], 0.1))"), "100000")
        XCTAssertEqual(try s.echo("mse(zeros(5000, 5000), ones(5000, 5000))"), "1")
        XCTAssertEqual(try s.echo("var(ones(20000000) * 3)"), "0")
        try s.run("ce = item(cross_entropy(zeros(2000000, 10), arange(2000000) % 10))")
        XCTAssertEqual(s.number("ce").map(Float.init), 2.3025851)
    }

    /// Item 1: the whole MNIST training set's pixel mean and std (before: 0.1311 and 0.2885). NumPy on the
    /// same 47,040,000 float32 pixels (`b.astype(np.float32) * np.float32(1/255)`, as mapl converts them),
    /// summed in float64 and rounded to float32: 0.13066049 and 0.30810782 (NumPy's own float32 `mean`/`std`
    /// say 0.13066047 and 0.3081078, one unit in the last place off).
    func testMNISTMeanAndStd() throws {
        _ = try RealData.mnistData()  // skips without MNIST on a developer's machine, fails under CI
        let s = Session()
        try s.run("d = mnist(\"train\")\nm = item(mean(d.x))\nsd = item(std(d.x))")
        XCTAssertEqual(s.number("m").map(Float.init), 0.13066049)
        XCTAssertEqual(s.number("sd").map(Float.init), 0.30810782)
    }

    /// Item 7: NaN is never hidden — `max([1, 0/0, 3])` and `min([0/0, 1])` are nan (NumPy: nan; before: 3
    /// and 1) — and always prints as `nan`: x86 makes 0/0 a NaN with the sign bit set, which printed `-nan`.
    func testNaNPropagatesAndPrintsAsNan() throws {
        let s = Session()
        XCTAssertEqual(try s.echo("max([1, 0/0, 3])"), "nan")
        XCTAssertEqual(try s.echo("min([0/0, 1])"), "nan")
        XCTAssertEqual(try s.echo("argmax([1, 0/0, 3])"), "1")
        XCTAssertEqual(try s.echo("relu([0/0, -1, 2])"), "tensor([nan,  0.,  2.])")
        XCTAssertEqual(try s.echo("0/0"), "nan")
        XCTAssertEqual(try s.echo("[0/0, 1]"), "tensor([nan,  1.])")
        XCTAssertEqual(s.error("onehot([0/0], 3)")?.message, "onehot: label nan at position 0 is not an integer in 0..<3")
        // An epoch line with a NaN validation loss.
        try s.run("""
        seed(1)
        d = dataset([[0.0], [1.0]], [[0.0], [1.0]])
        v = dataset([[0/0]], [[0.0]])
        h = fit(dense(1, 1), d, loss=mse, val=v, epochs=1)
        """)
        let line = try XCTUnwrap(s.printed.last)
        XCTAssertTrue(line.contains("val_loss nan"), line)
        XCTAssertFalse(s.printed.joined().contains("-nan"), s.printed.joined())
    }

    /// Item 7: training stops at the first batch whose loss is not finite; the error is positioned and the
    /// model keeps the weights it had before that batch (before: 20 epochs of `loss -nan`, exit 0).
    func testFitStopsAtANonFiniteLoss() throws {
        let s = Session()
        try s.run("""
        seed(1)
        model = dense(2, 8) >> tanh >> dense(8, 1)
        opt = sgd(model, lr=1e6)
        """)
        let e = s.error("h = fit(model, xor(), loss=mse, opt=opt, epochs=20, batch=4)")
        XCTAssertEqual(e?.message, "loss is inf at epoch 4, batch 1; the learning rate may be too high (training stopped; the model keeps the weights it had before that batch)")
        XCTAssertEqual(e?.range.start.column, 5)
        try s.run("w = model.layers[0].W")
        XCTAssertTrue(try XCTUnwrap(s.tensor("w")).scalars.allSatisfy(\.isFinite))
    }

    /// A session whose warnings are collected (message and line), besides what it prints.
    private func warningSession() -> (Session, () -> [(message: String, line: Int)]) {
        let s = Session()
        let box = WarningBox()
        let render = s.interpreter.display
        s.interpreter.display = { event in
            if case .warning(let w) = event { box.items.append((w.message, w.range?.start.line ?? 0)) }
            render(event)
        }
        return (s, { box.items })
    }
    private final class WarningBox { var items: [(message: String, line: Int)] = [] }

    /// Item 8: the softmax trap — a model ending in softmax trained with cross_entropy (which takes logits)
    /// — warns once a session, at the first call that shows it, saying what to do.
    func testSoftmaxTrapWarnsOnce() throws {
        let (s, warnings) = warningSession()
        try s.run("""
        seed(1)
        d = spirals(50, 3)
        model = dense(2, 16, act=relu) >> dense(16, 3) >> softmax
        h = fit(model, d, epochs=2)
        l = cross_entropy(model(d.x), d.y)
        """)
        XCTAssertEqual(warnings().map(\.message), ["cross_entropy takes raw scores (logits) and applies softmax itself, but its input looks like probabilities (every row in [0, 1] summing to 1), as after a softmax, which trains worse: drop the softmax from the model, or use nll(log(p))"])
        XCTAssertEqual(warnings().first?.line, 4)
        // Logits, and the recommended form nll(log(p)), say nothing.
        let (quiet, none) = warningSession()
        try quiet.run("""
        seed(1)
        d = spirals(50, 3)
        model = dense(2, 16, act=relu) >> dense(16, 3)
        h = fit(model, d, epochs=1)
        l = nll(log(softmax(model(d.x))), d.y)
        """)
        XCTAssertTrue(none().isEmpty, "\(none())")
    }

    /// The same trap's relatives: probabilities to nll, logits to bce.
    func testNLLAndBCEWarnAboutTheWrongKindOfInput() throws {
        let (s, warnings) = warningSession()
        try s.run("""
        a = nll([[0.2, 0.8], [0.5, 0.5]], [1, 0])
        b = bce([[2.5], [-1.0]], [[1], [0]])
        c = bce([[0.9], [0.1]], [[1], [0]])
        """)
        XCTAssertEqual(warnings().map(\.line), [1, 2])
        XCTAssertTrue(warnings().first?.message.hasPrefix("nll takes log-probabilities") ?? false)
        XCTAssertTrue(warnings().last?.message.hasPrefix("bce takes probabilities, but its input has values outside [0, 1]") ?? false)
    }

    /// Item 6: an optimizer holding only some of the model's parameters warns, naming what it leaves out
    /// (one holding none is an error: BadInput/154).
    func testOptimizerForPartOfTheModelWarns() throws {
        let (s, warnings) = warningSession()
        try s.run("""
        seed(1)
        model = dense(2, 8) >> tanh >> dense(8, 1) >> sigmoid
        first = model.layers[0]
        h = fit(model, xor(), loss=bce, opt=adam(first), epochs=1)
        h = fit(model, xor(), loss=bce, opt=sgd([model.layers[0].W, model.layers[2].W, model.layers[2].b]), epochs=1)
        h = fit(model, xor(), loss=bce, opt=adam(model), epochs=1)
        """)
        XCTAssertEqual(warnings().map(\.message), [
            "the optimizer does not hold the parameters of layers[2] (dense(8, 1)): fit leaves them as they are; make the optimizer from the whole model to train them",
            "the optimizer does not hold the parameters of layers[0].b: fit leaves them as they are; make the optimizer from the whole model to train them",
        ])
        XCTAssertEqual(warnings().map(\.line), [4, 5])
    }

    /// Item 5: boolean masks select (before, `x[x > 0]` indexed by position: [-2., 1., -2.]) and integer lists
    /// index any axis (before, `x[:, [0, 2]]` was an error), reading, writing and with gradients. NumPy 2.4:
    /// `x[x > 0]` = [1, 3]; with `m = np.arange(12.).reshape(3, 4)`: `m[:, [0, 2]]` = [[0, 2], [4, 6],
    /// [8, 10]], `m[(m > 2) * (m < 6)]` = [3, 4, 5], `m[[True, False, True]]` rows 0 and 2; after
    /// `x[x > 0] = 0`, x = [0, -2, 0].
    func testMasksAndIndexLists() throws {
        let s = Session()
        XCTAssertEqual(try s.echo("x = [1.0, -2.0, 3.0]\nx[x > 0]"), "tensor([1., 3.])")
        try s.run("m = reshape(arange(12), 3, 4)")
        XCTAssertEqual(try s.echo("m[:, [0, 2]]"), "tensor([[ 0.,  2.],\n        [ 4.,  6.],\n        [ 8., 10.]], shape=[3, 2])")
        XCTAssertEqual(try s.echo("m[(m > 2) * (m < 6)]"), "tensor([3., 4., 5.])")
        XCTAssertEqual(try s.echo("m[[true, false, true]].shape"), "[2, 4]")
        XCTAssertEqual(try s.echo("m[:, []].shape"), "[3, 0]")
        try s.run("x[x > 0] = 0\nm[:, [0, 2]] = -1\nk = m[m < 0]")
        XCTAssertEqual(s.tensor("x")?.scalars, [0, -2, 0])
        XCTAssertEqual(s.tensor("k")?.scalars, [-1, -1, -1, -1, -1, -1])
        // A parameter is written in place; the gradient of a read goes back to the selected elements.
        try s.run("w = param([1.0, -2.0, 3.0])\nw[w < 0] = 5\nbackward(sum(w[w > 2] * [2, 3]))\ng = w.grad")
        XCTAssertEqual(s.tensor("w")?.scalars, [1, 5, 3])
        XCTAssertEqual(s.tensor("g")?.scalars, [0, 2, 3])
        for f in ["x -> sum(x[x > 0] ^ 2)", "x -> sum(x[:, [0, 2, 2]] ^ 2)", "x -> sum(x[[1, -1], 1:] ^ 3)"] {
            try s.run("e = gradcheck(\(f), reshape(sin(arange(12) * 0.7), 3, 4) + 0.05)")  // no element within h of 0
            XCTAssertLessThan(try XCTUnwrap(s.number("e")), 0.01, f)
        }
    }

    /// Item 4: grad of grad differentiates through the inner gradient (before: `[0.]`; the answer is
    /// d²(y³)/dy² = 6y = 12 at 2), to any order, and gradcheck confirms it; an op without a second-order
    /// rule is an error naming it (BadInput/159). `grad` inside `nograd` computes its gradient too (it gave
    /// zeros: the function's graph was not recorded).
    func testGradOfGrad() throws {
        let s = Session()
        XCTAssertEqual(try s.echo("grad(x -> sum(grad(y -> sum(y^3))(x)))([2.0])"), "tensor([12.])")
        XCTAssertEqual(try s.echo("grad(grad(grad(x -> sum(x^4))))([2.0])"), "tensor([48.])")  // 24x
        try s.run("""
        seed(3)
        m = dense(2, 4, act=tanh) >> dense(4, 1)
        hv(x) = sum(grad(z -> sum(m(z) ^ 2))(x) * [[1.0, -2.0]])
        e1 = gradcheck(hv, [[0.3, -0.8]])
        e2 = gradcheck(x -> sum(grad(y -> sum(y^3 * sin(y)))(x) * [1, -2]), [0.7, 1.3])
        nograd { g = grad(x -> sum(x^2))([1, 2]) }
        """)
        XCTAssertLessThan(try XCTUnwrap(s.number("e1")), 0.01)
        XCTAssertLessThan(try XCTUnwrap(s.number("e2")), 0.01)
        XCTAssertEqual(s.tensor("g")?.scalars, [2, 4])
    }
}
