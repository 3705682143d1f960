import XCTest
@testable import MaplNN

/// Losses against NumPy (float64 unless stated), including extreme logits.
final class LossTests: XCTestCase {
    let logits = try! Tensor(shape: [2, 3], scalars: [2, -1, 0.5, 0.1, 0.2, -0.3])

    func testMSE() throws {
        // NumPy: ((p − t)²).mean() with p = [1, 2, 3, 4], t = [1.5, 1.5, 3, 5]
        let p = Variable.parameter(Tensor([1, 2, 3, 4]))
        assertClose([try Losses.mse(p, Tensor([1.5, 1.5, 3, 5])).value.item()], [0.375], tol: 1e-6)
        // [4] against [4, 1] lines up element by element (not broadcast to [4, 4]).
        assertClose([try Losses.mse(p, try Tensor([1.5, 1.5, 3, 5]).reshaped([4, 1])).value.item()], [0.375], tol: 1e-6)
        XCTAssertThrowsError(try Losses.mse(p, Tensor([1, 2, 3]))) { e in
            XCTAssertTrue("\(e)".contains("[4]") && "\(e)".contains("[3]"), "\(e)")
        }
        XCTAssertLessThan(try Gradients.check({ try Losses.mse($0, Tensor([1.5, 1.5, 3, 5])) }, at: p.value), 1e-2)
    }

    func testCrossEntropyWithLabels() throws {
        // NumPy: −log_softmax(x)[[0, 1], [0, 2]].mean()
        let ce = try Losses.crossEntropy(Variable(logits), Tensor([0, 2]))
        assertClose([try ce.value.item()], [0.83106948], tol: 1e-6)
        let ceColumn = try Losses.crossEntropy(Variable(logits), try Tensor(shape: [2, 1], scalars: [0, 2]))
        assertClose([try ceColumn.value.item()], [0.83106948], tol: 1e-6)
        XCTAssertLessThan(try Gradients.check({ try Losses.crossEntropy($0, Tensor([0, 2])) }, at: logits), 1e-2)
    }

    func testCrossEntropyWithProbabilityRows() throws {
        // NumPy: −(t·log_softmax(x)).sum()/N with t = [[0.7, 0.2, 0.1], [0, 0, 1]]
        let t = try Tensor(shape: [2, 3], scalars: [0.7, 0.2, 0.1, 0, 0, 1])
        assertClose([try Losses.crossEntropy(Variable(logits), t).value.item()], [1.2060695], tol: 1e-6)
        // One-hot rows give the same as labels.
        let onehot = try Tensor.onehot(Tensor([0, 2]), 3)
        assertClose([try Losses.crossEntropy(Variable(logits), onehot).value.item()], [0.83106948], tol: 1e-6)
        XCTAssertLessThan(try Gradients.check({ try Losses.crossEntropy($0, t) }, at: logits), 1e-2)
    }

    func testCrossEntropyIsStableForExtremeLogits() throws {
        let x = Variable.parameter(try Tensor(shape: [2, 3], scalars: [1000, -1000, 0, -500, 500, 0]))
        let loss = try Losses.crossEntropy(x, Tensor([1, 1]))
        // NumPy (stable log-softmax): (2000 + 0) / 2 = 1000
        XCTAssertEqual(try loss.value.item(), 1000, accuracy: 1e-3)
        try loss.backward()
        // NumPy: (softmax − onehot)/N = [[0.5, −0.5, 0], [0, 0, ~0]]
        assertClose(x.grad!.scalars, [0.5, -0.5, 0, 0, 0, 0], tol: 1e-6)
        XCTAssertFalse(x.grad!.scalars.contains { !$0.isFinite })
    }

    func testCrossEntropyErrors() {
        XCTAssertThrowsError(try Losses.crossEntropy(Variable(logits), Tensor([0, 1, 2]))) { e in
            XCTAssertTrue("\(e)".contains("[2, 3]") && "\(e)".contains("[3]"), "\(e)")
        }
        XCTAssertThrowsError(try Losses.crossEntropy(Variable(logits), Tensor([0, 3]))) { e in
            XCTAssertTrue("\(e)".contains("0..<3"), "\(e)")
        }
        XCTAssertThrowsError(try Losses.crossEntropy(Variable(logits), Tensor([0, 0.5])))
    }

    func testNLL() throws {
        let logp = try Tensor(shape: [2, 2], scalars: [-0.5, -1.2, -2, -0.1])
        // NumPy: −x[[0, 1], [1, 0]].mean() = (1.2 + 2)/2
        assertClose([try Losses.nll(Variable(logp), Tensor([1, 0])).value.item()], [1.6], tol: 1e-6)
        // nll ∘ log_softmax == cross_entropy
        let composed = try Losses.nll(try Variable.logSoftmax(Variable(logits)), Tensor([0, 2]))
        assertClose([try composed.value.item()], [0.83106948], tol: 1e-6)
        XCTAssertLessThan(try Gradients.check({ try Losses.nll($0, Tensor([1, 0])) }, at: logp), 1e-2)
        XCTAssertThrowsError(try Losses.nll(Variable(logp), Tensor([1, 0, 1])))
    }

    func testBCEClampsAtKerasEpsilon() throws {
        // NumPy in float32 (the clamp's 1 − 1e-7 rounds to 0.9999999 in float32, as in Keras):
        // pc = clip(p, 1e-7, 1 − 1e-7); −(t·log pc + (1 − t)·log(1 − pc)).mean()
        let p = Variable.parameter(Tensor([0.9, 0.2, 0.6, 1.0, 0.0]))
        let t = Tensor([1, 0, 0, 0, 1])
        let loss = try Losses.bce(p, t)
        XCTAssertEqual(try loss.value.item(), 6.661055, accuracy: 1e-4)
        try loss.backward()
        // NumPy: −(t/p − (1 − t)/(1 − p))/N inside the clamp, 0 where the clamp is active
        assertClose(p.grad!.scalars, [-0.22222224, 0.25, 0.50000006, 0, 0], tol: 1e-5)
        let inside = Tensor([0.9, 0.2, 0.6, 0.3, 0.7])
        XCTAssertLessThan(try Gradients.check({ try Losses.bce($0, t) }, at: inside, step: 1e-3), 1e-2)
        XCTAssertThrowsError(try Losses.bce(p, Tensor([1, 0]))) { e in
            XCTAssertTrue("\(e)".contains("[5]") && "\(e)".contains("[2]"), "\(e)")
        }
    }

    func testNamedLosses() {
        XCTAssertNotNil(Losses.named("cross_entropy"))
        XCTAssertNotNil(Losses.named("bce")); XCTAssertNotNil(Losses.named("mse")); XCTAssertNotNil(Losses.named("nll"))
        XCTAssertNil(Losses.named("hinge"))
    }
}
