import XCTest
@testable import MaplLang
import MaplNN

/// Losses, optimizers, penalties, fit/evaluate/predict and the metrics, from the language.
final class NNTrainingTests: XCTestCase {
    func testLossesAreMappingsOfPredictionAndTarget() throws {
        let s = Session()
        try s.run("""
        a = mse([1, 2], [1, 4])
        b = cross_entropy([[1, 2, 3]], [2])
        c = bce([0.8], [1])
        d = nll(log_softmax([[1, 2, 3]]), [0])
        e = cross_entropy([[1, 2, 3]], [[0, 0, 1]])
        """)
        assertScalars(s.tensor("a"), [2])                    // ((1−1)² + (2−4)²) / 2
        assertScalars(s.tensor("b"), [0.40760596])           // log(e¹ + e² + e³) − 3
        assertScalars(s.tensor("c"), [0.22314355])           // −log 0.8
        assertScalars(s.tensor("d"), [2.40760596])           // log(e¹ + e² + e³) − 1
        assertScalars(s.tensor("e"), [0.40760596])           // one-hot rows give the same as labels
        XCTAssertEqual(try s.echo("gradcheck(x -> cross_entropy(reshape(x, 1, 3), [1]), [0.2, -0.4, 1.1]) < 0.01"), "true")
    }

    /// Two steps on loss = Σw² from w = [1, −2], against NumPy (Adam) and hand-worked updates.
    func testOptimizerStepsMatchTheirRules() throws {
        let s = Session()
        func twoSteps(_ make: String) throws -> Tensor? {
            try s.run("w = param([1, -2])\nopt = \(make)\nfor i in 1..2 { zero_grad(opt)\nbackward(sum(w^2))\nstep(opt) }")
            return s.tensor("w")
        }
        // NumPy: m, v = β·m + (1−β)·g, β₂·v + (1−β₂)·g²; w −= lr·m̂/(√v̂ + ε), twice
        assertScalars(try twoSteps("adam(w, lr=0.1)"), [0.80041223, -1.80016649])
        // buf = g, then 0.9·buf + g: w = [1, −2] − 0.1·[2, −4] = [0.8, −1.6]; − 0.1·[3.4, −6.8]
        assertScalars(try twoSteps("sgd(w, lr=0.1, momentum=0.9)"), [0.46, -0.92])
        // plain SGD: w ← w − 0.1·2w, twice: w·0.8²
        assertScalars(try twoSteps("sgd(w, lr=0.1)"), [0.64, -1.28])
        // the same updates as the Swift optimizers on the same numbers
        for (source, make) in [("rmsprop(w, lr=0.01)", { (p: [Variable]) -> Optimizer in try RMSprop(p, lr: 0.01) }),
                               ("adamw(w, lr=0.1)", { p in try AdamW(p, lr: 0.1) }),
                               ("sgd(w, lr=0.1, momentum=0.5, nesterov=true, weight_decay=0.1)", { p in try SGD(p, lr: 0.1, momentum: 0.5, nesterov: true, weightDecay: 0.1) }),
                               ("adam(w, lr=0.05, beta1=0.8, beta2=0.9, eps=0.001, weight_decay=0.2)", { p in try Adam(p, lr: 0.05, beta1: 0.8, beta2: 0.9, eps: 0.001, weightDecay: 0.2) })] {
            let w = Variable.parameter(Tensor([1, -2]))
            let opt = try make([w])
            for _ in 0..<2 {
                opt.zeroGrad()
                try Variable.sum(try w * w).backward()
                try opt.step()
            }
            assertScalars(try twoSteps(source), w.value.scalars)
        }
    }

    func testOptimizerFieldsAndParameters() throws {
        let s = Session()
        try s.run("""
        m = dense(2, 2)
        pos = param(zeros(3))
        opt = adam([m, [pos]], lr=0.01)
        n = len(opt.params)
        lr = opt.lr
        opt.lr = 0.5
        lr2 = opt.lr
        b1 = opt.beta1
        """)
        XCTAssertEqual(s.number("n"), 3)
        XCTAssertEqual(s.number("lr"), 0.01)
        XCTAssertEqual(s.number("lr2"), 0.5)
        XCTAssertEqual(s.number("b1"), 0.9)
        XCTAssertEqual(s.error("opt.beta1 = 0.5")?.message, "an optimizer's 'beta1' is read-only; only lr can be changed")
        XCTAssertEqual(try s.echo("type(opt)"), "\"optimizer\"")
    }

    func testOptimizerArgumentErrors() throws {
        let s = Session()
        let e = s.error("opt = adam(3)")
        XCTAssertEqual(e?.message, "adam(): 'm' must be a model, a parameter or a list of them, got a number")
        XCTAssertEqual(e?.range.start.column, 12)
        XCTAssertEqual(s.error("opt = sgd([1, 2])")?.message, "sgd(): 'm' holds a tensor of shape [2] that is not a parameter (make one with param(...))")
        XCTAssertEqual(s.error("opt = adam(relu)")?.message, "adam(): 'm' has no parameters to train")
        XCTAssertEqual(s.error("step(3)")?.message, "step(): 'opt' must be an optimizer (sgd, adam, …), got a number")
    }

    func testZeroGradClearsThroughTheOptimizer() throws {
        let s = Session()
        try s.run("m = dense(2, 1)\nopt = sgd(m)\nbackward(sum(m([[1, 2]])))\nbefore = m.layers")
        try s.run("g = m.W.grad\nzero_grad(opt)\nafter = m.W.grad")
        XCTAssertNotNil(s.tensor("g"))
        XCTAssertEqual(try s.echo("type(after)"), "\"none\"")
    }

    func testPenaltiesCountWeightsNotBiases() throws {
        let s = Session()
        try s.run("""
        m = dense(2, 2) >> relu
        m.layers[0].W = [[1, -2], [3, -4]]
        m.layers[0].b = [5, 5]
        a = l1(m)
        b = l2(m)
        w = param([1, -2])
        c = l2([w])
        backward(c)
        """)
        assertScalars(s.tensor("a"), [10])     // |1| + |−2| + |3| + |−4|
        assertScalars(s.tensor("b"), [30])     // 1 + 4 + 9 + 16
        assertScalars(s.tensor("c"), [5])
        assertScalars(s.interpreter.lookup("w")?.variable?.grad, [2, -4])   // ∂Σw²/∂w = 2w
    }

    func testFitHistoryAndProgressLines() throws {
        let s = Session()
        try s.run("""
        seed(0)
        d = spirals(20, 2)
        parts = split(d, 0.75)
        m = dense(2, 8) >> relu >> dense(8, 2)
        h = fit(m, parts[0], epochs=3, batch=10, val=parts[1])
        n = len(h.loss)
        nv = len(h.val_loss)
        na = len(h.val_accuracy)
        last = h.loss[-1]
        g = fit(m, parts[0], epochs=2)
        ng = len(g.val_loss)
        """)
        XCTAssertEqual(s.number("n"), 3)
        XCTAssertEqual(s.number("nv"), 3)
        XCTAssertEqual(s.number("na"), 3)
        XCTAssertEqual(s.number("ng"), 0)
        XCTAssertEqual(s.tensor("last")?.shape, [])
        let lines = s.printed.filter { $0.hasPrefix("epoch ") }
        XCTAssertEqual(lines.count, 5)
        XCTAssertTrue(lines[0].hasPrefix("epoch 1/3  loss "), lines[0])
        XCTAssertTrue(lines[0].contains("  val_loss ") && lines[0].contains("  val_accuracy "), lines[0])
        XCTAssertTrue(lines[4].hasPrefix("epoch 2/2  loss ") && !lines[4].contains("val_"), lines[4])
        XCTAssertEqual(s.printed.filter { $0.hasPrefix("epoch ") }.count, 5)
    }

    /// With lr = 0 the validation loss never improves after epoch 1, so patience 2 stops after epoch 3.
    func testEarlyStopping() throws {
        let s = Session()
        try s.run("""
        seed(0)
        d = moons(40, 0.1)
        m = dense(2, 2)
        h = fit(m, d, opt=sgd(m, lr=0), epochs=10, batch=8, val=d, patience=2)
        n = len(h.loss)
        """)
        XCTAssertEqual(s.number("n"), 3)
        XCTAssertTrue(s.printed.contains("early stopping: no improvement for 2 epochs; restored the weights of epoch 1"), "\(s.printed)")
    }

    func testEvaluatePredictAndMetrics() throws {
        let s = Session()
        try s.run("""
        d = dataset([[1, 0], [0, 1]], [0, 1])
        m = dense(2, 2)
        m.W = eye(2)
        m.b = zeros(2)
        r = evaluate(m, d)
        p = predict(m, [[2, 1]])
        pred = [[0.9, 0.1], [0.2, 0.8], [0.6, 0.4], [0.3, 0.7]]
        y = [0, 1, 1, 1]
        acc = accuracy(pred, y)
        pr = precision(pred, y)
        re = recall(pred, y)
        f = f1(pred, y)
        c = confusion(m, dataset([[1, 0], [0, 1], [1, 0]], [0, 1, 1]))
        """)
        // logits = x: −log(e/(e + 1)) = log(1 + e⁻¹) for each sample
        XCTAssertEqual(try s.echo("r"), "{loss: 0.3133, accuracy: 1}")
        assertScalars(s.tensor("p"), [2, 1], shape: [1, 2])
        // predicted [0, 1, 0, 1] against [0, 1, 1, 1]: class 0 P = 1/2, R = 1; class 1 P = 1, R = 2/3
        XCTAssertEqual(s.number("acc"), 0.75)
        XCTAssertEqual(s.number("pr") ?? 0, 0.75, accuracy: 1e-6)
        XCTAssertEqual(s.number("re") ?? 0, 0.8333333, accuracy: 1e-6)
        XCTAssertEqual(s.number("f") ?? 0, (2.0 / 3 + 0.8) / 2, accuracy: 1e-6)   // F1: 2PR/(P+R) = 2/3 and 0.8
        assertScalars(s.tensor("c"), [1, 0, 1, 1], shape: [2, 2])
        try s.run("precision(2)\nx = [1.23456]")
        XCTAssertEqual(try s.echo("x"), "tensor([1.23])")
    }

    /// Ctrl-C (the interpreter's stop flag) ends fit at the next batch and stops the program with an
    /// `interrupted` error; the model keeps the weights it reached; the batch events show each batch.
    func testInterruptStopsFitThroughTheSameFlag() throws {
        let s = Session()
        var batches = 0
        let text = s.interpreter.display
        s.interpreter.display = { [unowned interp = s.interpreter] event in
            if case .training(.batch) = event {
                batches += 1
                if batches == 2 { interp.interrupt.request() }
            }
            text(event)
        }
        try s.run("d = spirals(50, 2)\nm = dense(2, 2)\nw0 = tensor(m.W)")
        let e = s.error("h = fit(m, d, epochs=5, batch=10)\nafter = 1")
        XCTAssertEqual(e?.kind, .interrupted)
        XCTAssertEqual(e?.range.start.column, 5)           // at the fit call
        XCTAssertEqual(batches, 2)
        XCTAssertNil(s.interpreter.lookup("after"))
        try s.run("moved = not close(w0, m.W)")
        XCTAssertEqual(try s.echo("moved"), "true")          // two steps were taken and kept
        XCTAssertTrue(s.printed.contains("training stopped by the user after 2 batches"), "\(s.printed)")
    }

    func testFitArgumentErrors() throws {
        let s = Session()
        try s.run("d = xor()\nm = dense(2, 1)")
        XCTAssertEqual(s.error("fit(m, 3)")?.message, "fit(): 'd' must be a dataset (mnist(\"train\"), spirals(100, 3), dataset(x, y), …), got a number")
        let e = s.error("fit(m, d, batch=0)")
        XCTAssertEqual(e?.message, "fit(): batch must be ≥ 1, got 0")
        XCTAssertEqual(e?.range.start.column, 11)
        XCTAssertEqual(s.error("fit(m, d, loss=3)")?.message, "fit(): 'loss' must be a mapping, got a number")
    }
}
