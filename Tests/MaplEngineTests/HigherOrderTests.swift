import XCTest
import Foundation
@testable import MaplEngine

/// Gradients differentiated again (`Variable.gradient`, PyTorch's `create_graph=True`): every op's
/// differentiable rule is checked by differentiating F(x) = Σ v ⊙ ∂f/∂x through it and comparing with central
/// differences of the first-order gradient (the plain backward pass, itself gradient-checked elsewhere).
final class HigherOrderTests: XCTestCase {
    /// F(x) = Σ v ⊙ ∇f(x): through the differentiable rules when x is being differentiated, else (the finite
    /// difference probes) from the first-order backward pass.
    func weightedGradient(_ f: @escaping (Variable) throws -> Variable, _ v: Tensor) -> (Variable) throws -> Variable {
        { x in
            if x.requiresGrad && GradMode.isEnabled {
                return try Variable.sum(try Variable.gradient(of: try f(x), withRespectTo: x) * Variable(v))
            }
            let leaf = Variable.parameter(x.value)
            try GradMode.withGrad { try f(leaf).backward() }
            let g = try XCTUnwrap(leaf.grad)
            return Variable(Tensor(zip(g.scalars, v.scalars).reduce(0) { $0 + $1.0 * $1.1 }))
        }
    }

    /// x in [0.35, 1.45] (positive, away from 0 and from every kink used below), and weights v.
    let x0 = Tensor(unchecked: [2, 3], [0.35, 0.9, 1.45, 0.6, 1.2, 0.75])
    let v = Tensor(unchecked: [2, 3], [0.5, -1, 0.25, 2, -0.75, 1])

    func square(_ y: Variable) throws -> Variable { try Variable.sum(y * y) }

    func testEveryDifferentiableRuleAgainstFiniteDifferences() throws {
        let c = Variable(Tensor(unchecked: [3], [0.5, -1.5, 2]))
        let ops: [(String, (Variable) throws -> Variable)] = [
            ("exp", { try self.square(Variable.exp($0)) }), ("log", { try self.square(Variable.log($0)) }),
            ("sqrt", { try self.square(Variable.sqrt($0)) }), ("sin", { try self.square(Variable.sin($0)) }),
            ("cos", { try self.square(Variable.cos($0)) }), ("tanh", { try self.square(Variable.tanh($0)) }),
            ("sigmoid", { try self.square(Variable.sigmoid($0)) }), ("abs", { try self.square(Variable.abs($0 - Variable(Tensor(1))) * $0) }),
            ("relu", { try self.square(Variable.relu($0 - Variable(Tensor(1))) * $0) }),
            ("leaky_relu", { try self.square(Variable.leakyRelu($0 - Variable(Tensor(1)), slope: 0.2) * $0) }),
            ("clip", { try self.square(Variable.clip($0, 0.5, 1.3) * $0) }),
            ("add/sub/neg with broadcasting", { try self.square(-($0 + c) - $0 * c) }),
            ("mul/div", { try self.square($0 * $0 / ($0 + c)) }),
            ("pow", { try self.square(try Variable.pow($0, c) + Variable.pow(c + Variable(Tensor(3)), $0) + Variable.pow($0, $0)) }),
            ("mod", { try self.square(try Variable.remainder($0 * $0, c + Variable(Tensor(3)))) }),
            ("sum/mean", { try self.square(try Variable.sum($0 * $0, axis: 1, keepdims: true) * Variable.mean($0, axis: 0, keepdims: true)) }),
            ("max/min", { try self.square(try Variable.max($0 * $0, axis: 1, keepdims: true) + Variable.min($0, axis: 0, keepdims: true)) }),
            ("var/std", { try self.square(try Variable.variance($0, axis: 1) + Variable.std($0 * $0)) }),
            ("reshape/transpose/permute", { try self.square(try Variable.matmul(Variable.reshape($0, [3, 2]), Variable.transpose(Variable.reshape($0, [3, 2])))) + self.square(try Variable.permute(Variable.reshape($0, [2, 3, 1]), [2, 0, 1]) * $0) }),
            ("index", { try self.square(try Variable.index($0, [.at(0), .slice(start: 1, end: nil, step: 1)]) * Variable.index($0, [.all, .positions([2, 0])]) + Variable.sum(Variable.index($0 * $0, [.mask([true, false, true, true, false, true], shape: [2, 3])]))) }),
            ("concat/stack", { try self.square(try Variable.concat([$0, $0 * $0], axis: 1) + Variable.reshape(Variable.stack([$0, Variable.exp($0)], axis: 0), [2, 6])) }),
            ("matmul", { try self.square(try Variable.matmul($0, Variable.transpose($0 * $0)) + Variable.matmul(Variable.reshape($0, [1, 2, 3]), Variable.transpose($0))) }),
            ("softmax/log_softmax", { try self.square(try Variable.softmax($0 * $0, axis: 1) * Variable.logSoftmax($0, axis: 0)) }),
            ("cross_entropy", { try Variable.softmaxCrossEntropy($0 * $0, Tensor([2, 0])) }),
            ("pick", { try Variable.sum(try Variable.pick(Variable.logSoftmax($0 * $0, axis: 1), Tensor([1, 2]))) }),
            ("gather", { try self.square(try Variable.gatherRows($0 * $0, Tensor([1, 0, 1]))) }),
            ("where", { try self.square(try Variable.where(Tensor(unchecked: [2, 3], [1, 0, 1, 0, 0, 1]), $0 * $0, Variable.exp($0))) }),
        ]
        for (name, f) in ops {
            do {
                let error = try Gradients.check(weightedGradient(f, v), at: x0)
                XCTAssertLessThan(error, 1e-2, name)
            } catch { XCTFail("\(name): \(error)") }
        }
    }

    /// Exact values: for f = Σ eˣ·x², ∂²f/∂x² = eˣ(x² + 4x + 2) — at [0.5, −1.2] NumPy gives
    /// [7.007065400475545, −0.4096241282005948]; the third derivative of Σ x⁴ at 2 is 24·2 = 48.
    func testSecondAndThirdDerivatives() throws {
        let x = Variable.parameter(Tensor([0.5, -1.2]))
        let g = try Variable.gradient(of: try Variable.sum(Variable.exp(x) * x * x), withRespectTo: x)
        try Variable.sum(g).backward()
        let h = try XCTUnwrap(x.grad)
        XCTAssertEqual(h.scalars[0], 7.0070654, accuracy: 1e-5)
        XCTAssertEqual(h.scalars[1], -0.40962413, accuracy: 1e-6)
        let t = Variable.parameter(Tensor([2]))
        let first = try Variable.gradient(of: try Variable.sum(try Variable.pow(t, Variable(Tensor(4)))), withRespectTo: t)
        let second = try Variable.gradient(of: try Variable.sum(first), withRespectTo: t)
        let third = try Variable.gradient(of: try Variable.sum(second), withRespectTo: t)
        XCTAssertEqual(first.value.scalars, [32])
        XCTAssertEqual(second.value.scalars, [48])
        XCTAssertEqual(third.value.scalars, [48])
    }

    /// An op without a differentiable rule is named, never a silent 0.
    func testAnOpWithoutARuleIsNamed() throws {
        let x = Variable.parameter(Tensor(repeating: 1, shape: [1, 1, 3, 3]))
        let w = Variable(Tensor(repeating: 0.5, shape: [1, 1, 2, 2]))
        let y = try Variable.sum(try Variable.conv2d(x, w, nil, Window2D(kernel: 2, stride: 1)))
        XCTAssertThrowsError(try Variable.gradient(of: y, withRespectTo: x)) { e in
            XCTAssertTrue("\(e)".hasPrefix("grad of grad: the second derivative through 'conv2d' is not supported"), "\(e)")
        }
        // A value that does not depend on x has gradient 0, a constant.
        let z = Variable.parameter(Tensor([1]))
        XCTAssertEqual(try Variable.gradient(of: try Variable.sum(z * z), withRespectTo: x).value.scalars, [Float](repeating: 0, count: 9))
    }
}
