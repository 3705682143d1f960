import XCTest
@testable import MaplNN

/// Gradients through dense layers (the fused affine and affine-relu nodes) and dropout differentiated again,
/// against central differences of the first-order gradient (as the engine's HigherOrderTests).
final class HigherOrderLayerTests: XCTestCase {
    func testDenseLayersAndDropoutHaveDifferentiableRules() throws {
        Random.seed(4)
        let model = Sequential([try Dense(3, 5, activation: .relu), try Dense(5, 4), Activation(.tanh), try Dense(4, 2, bias: false)])
        let dropout = try Dropout(0.3)
        let x0 = try Tensor(shape: [2, 3], scalars: [0.4, -0.7, 1.1, 0.9, 0.2, -0.5])
        let v = try Tensor(shape: [2, 3], scalars: [1, -0.5, 0.25, -1, 2, 0.5])
        Random.seed(9)
        let mask = try dropout(Variable(Tensor(repeating: 1, shape: [2, 2]))).value  // the same mask every call
        func f(_ x: Variable) throws -> Variable {
            let y = try model(x)
            return try Variable.sum(y * y * Variable(mask))
        }
        let check = try Gradients.check({ x in
            if x.requiresGrad && GradMode.isEnabled {
                return try Variable.sum(try Variable.gradient(of: try f(x), withRespectTo: x) * Variable(v))
            }
            let leaf = Variable.parameter(x.value)
            try GradMode.withGrad { try f(leaf).backward() }
            return Variable(Tensor(zip(leaf.grad!.scalars, v.scalars).reduce(0) { $0 + $1.0 * $1.1 }))
        }, at: x0)
        XCTAssertLessThan(check, 1e-2)
        // Dropout's rule: with y = dropout(x) = x·mask, ∂/∂x of Σ v ⊙ ∇(Σ y²) is 2·v·mask².
        let x = Variable.parameter(Tensor(repeating: 1, shape: [2, 2]))
        let y = try dropout(x)
        let drawn = y.value  // x is ones, so y is the mask
        let g = try Variable.gradient(of: try Variable.sum(y * y), withRespectTo: x)
        let w = try Tensor(shape: [2, 2], scalars: [1, -2, 3, 0.5])
        try Variable.sum(g * Variable(w)).backward()
        XCTAssertEqual(x.grad?.scalars, zip(w.scalars, drawn.scalars).map { 2 * $0 * $1 * $1 })
    }
}
