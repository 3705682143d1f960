import XCTest
@testable import MaplEngine

/// The seed chapter's worked example, one neuron layer with a squared-error loss:
///
///     x = [0.5, 0.1],  W = [[0.1, 0.4], [0.2, 0.9]],  b = [0.3, 0.2],  y = [1, 0]
///     z = Wᵀx + b,  ŷ = σ(z),  L = ½‖ŷ − y‖²
///
/// By hand:
///     (Wᵀx)₀ = 0.1·0.5 + 0.2·0.1 = 0.07  →  z₀ = 0.37
///     (Wᵀx)₁ = 0.4·0.5 + 0.9·0.1 = 0.29  →  z₁ = 0.49      (the book prints [0.33, 0.65], which is wrong)
///     ŷ₀ = 1/(1+e^−0.37) = 1/1.690734 = 0.591459,  ŷ₁ = 1/(1+e^−0.49) = 1/1.612626 = 0.620106
///     L = ½(0.408541² + 0.620106²) = ½(0.166906 + 0.384532) = 0.275719
/// Backward, with z_j = Σᵢ Wᵢⱼxᵢ + b_j:
///     δ = ∂L/∂z = (ŷ − y) ⊙ ŷ ⊙ (1 − ŷ)
///       δ₀ = −0.408541 · 0.591459 · 0.408541 = −0.098718
///       δ₁ =  0.620106 · 0.620106 · 0.379894 =  0.146081
///     ∂L/∂b = δ
///     ∂L/∂W = x δᵀ (∂L/∂Wᵢⱼ = xᵢ δⱼ) = [[−0.049359, 0.073041], [−0.009872, 0.014608]]
/// NumPy (float64) agrees: z [0.37, 0.49], ŷ [0.59145898, 0.62010643], L 0.27571887686823154,
/// δ [−0.09871791, 0.14608123], x δᵀ [[−0.04935896, 0.07304061], [−0.00987179, 0.01460812]].
final class WorkedExampleTests: XCTestCase {
    func testSeedChapterNeuron() throws {
        let x = Variable(Tensor([0.5, 0.1]))
        let W = Variable.parameter(T([2, 2], [0.1, 0.4, 0.2, 0.9]), label: "W")
        let b = Variable.parameter(Tensor([0.3, 0.2]), label: "b")
        let y = Variable(Tensor([1, 0]))

        let z = try Variable.matmul(x, W) + b  // x @ W with 1-D x is Wᵀx
        assertClose(z.value, [2], [0.37, 0.49], tol: 1e-6)
        let yhat = Variable.sigmoid(z)
        assertClose(yhat.value, [2], [0.59145898, 0.62010643], tol: 1e-6)
        let diff = try yhat - y
        let loss = try Variable(Tensor(0.5)) * Variable.sum(diff * diff)
        assertClose(loss.value, [], [0.27571887686823154], tol: 1e-6)

        try loss.backward()
        assertClose(try XCTUnwrap(b.grad), [2], [-0.09871791, 0.14608123], tol: 1e-5)
        assertClose(try XCTUnwrap(W.grad), [2, 2], [-0.04935896, 0.07304061, -0.00987179, 0.01460812], tol: 1e-5)
    }
}
