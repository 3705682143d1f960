import XCTest
@testable import MaplEngine

/// Mean squared error as one node (`Variable.meanSquaredError`): its value and gradient by hand, by finite
/// differences, bit for bit against the chain it replaces, and at ten million elements against float64.
final class SquaredErrorOpTests: XCTestCase {
    /// By hand: p − t = [1, −2, 3, 0.5]; Σd² = 1 + 4 + 9 + 0.25 = 14.25, /4 = 3.5625; ∂ = 2d/4 = d/2.
    func testValueAndGradientByHand() throws {
        let p = Variable.parameter(T([2, 2], [1, 0, 4, 2.5]))
        let loss = try Variable.meanSquaredError(p, T([2, 2], [0, 2, 1, 2]))
        XCTAssertEqual(loss.shape, [])
        XCTAssertEqual(loss.op?.name, "mse")
        XCTAssertEqual(try loss.value.item(), 3.5625)
        try loss.backward()
        XCTAssertEqual(try XCTUnwrap(p.grad).scalars, [0.5, -1, 1.5, 0.25])
        let target = try Tensor.randn([3, 5])
        assertGradient("mse", at: try Tensor.randn([3, 5])) { try Variable.meanSquaredError($0, target) }
        // Scaled upstream (the loss inside a larger expression).
        assertGradient("3·mse", at: try Tensor.randn([3, 5])) { try Variable.meanSquaredError($0, target) * Variable(Tensor(3)) }
    }

    /// The node gives `mean((p − t)·(p − t))` written out, bit for bit — value and gradient — over one sum
    /// block, several (the last one short), and with −0, NaN, ±∞ and squares that overflow to ∞.
    func testMatchesTheChainBitForBit() throws {
        Random.seed(12)
        for n in [1, 7, 8, 9, Tensor.sumBlock, 3 * Tensor.sumBlock + 13] {
            var p = try Tensor.randn([n]) * 3, t = try Tensor.randn([n])
            if n >= 9 {
                p.scalars[0] = -0.0; t.scalars[0] = 0
                p.scalars[1] = 1e20; t.scalars[1] = -1e20
                p.scalars[n - 1] = -2.5e-20
            }
            try assertSameAsChain(p, t, "n = \(n)")
            if n >= 9 {
                p.scalars[2] = .nan
                try assertSameAsChain(p, t, "n = \(n) with NaN")
                p.scalars[2] = .infinity
                try assertSameAsChain(p, t, "n = \(n) with ∞")
            }
        }
    }

    private func assertSameAsChain(_ p: Tensor, _ t: Tensor, _ what: String) throws {
        let a = Variable.parameter(p), b = Variable.parameter(p)
        let fused = try Variable.meanSquaredError(a, t)
        let d = try b - Variable(t)
        let chain = try Variable.mean(d * d)
        XCTAssertEqual(try fused.value.item().bitPattern, try chain.value.item().bitPattern, "\(what): value")
        let upstream = Tensor(Float(0.37))
        try fused.backward(seed: upstream); try chain.backward(seed: upstream)
        let (ga, gb) = (try XCTUnwrap(a.grad).scalars, try XCTUnwrap(b.grad).scalars)
        let differing = zip(ga, gb).filter { x, y in x.bitPattern != y.bitPattern && !(x.isNaN && y.isNaN) }.count
        XCTAssertEqual(differing, 0, "\(what): gradient elements that differ")
    }

    /// Ten million elements (a user's size), two threads or one: the loss within float rounding of a float64
    /// sum written here, every gradient element 2(p − t)/n, and the same bits on one thread as on all.
    func testTenMillionElementsAgainstFloat64() throws {
        Random.seed(3)
        let n = 10_000_000
        let p = try Tensor.randn([n]), t = try Tensor.randn([n]) * 0.5
        var exact = 0.0
        for i in 0..<n { let d = Double(p.scalars[i]) - Double(t.scalars[i]); exact += d * d }
        exact /= Double(n)
        let x = Variable.parameter(p)
        let loss = try Variable.meanSquaredError(x, t)
        XCTAssertEqual(Double(try loss.value.item()), exact, accuracy: exact * 1e-6)
        try loss.backward()
        let g = try XCTUnwrap(x.grad).scalars
        var worst = 0.0
        for i in stride(from: 0, to: n, by: 997) {
            let expected = 2 * (Double(p.scalars[i]) - Double(t.scalars[i])) / Double(n)
            worst = Swift.max(worst, Swift.abs(Double(g[i]) - expected) / Swift.abs(expected))
        }
        XCTAssertLessThan(worst, 1e-6)
        Parallel.setThreads(1)
        defer { Parallel.setThreads(nil) }
        let single = Variable.parameter(p)
        let again = try Variable.meanSquaredError(single, t)
        XCTAssertEqual(try again.value.item().bitPattern, try loss.value.item().bitPattern)
        try again.backward()
        XCTAssertTrue(try XCTUnwrap(single.grad).scalars.elementsEqual(g) { $0.bitPattern == $1.bitPattern })
    }

    /// Its gradient can be differentiated again: ∂²L/∂p² = 2/n per element, so ∂(Σ ∂L/∂p)/∂p = 2/n.
    func testSecondDerivative() throws {
        let p = Variable.parameter(T([4], [1, -2, 3, 0.5]))
        let loss = try Variable.meanSquaredError(p, T([4], [0, 0, 1, 1]))
        let first = try Variable.gradient(of: loss, withRespectTo: p)
        assertClose(first.value, [4], [0.5, -1, 1, -0.25])
        let second = try Variable.gradient(of: try Variable.sum(first), withRespectTo: p)
        assertClose(second.value, [4], [0.5, 0.5, 0.5, 0.5])
    }

    func testErrors() {
        let p = Variable(Tensor(repeating: 0, shape: [2, 3]))
        assertThrows(["[2, 3]", "[3, 2]"]) { try Variable.meanSquaredError(p, Tensor(repeating: 0, shape: [3, 2])) }
        assertThrows(["[0]"]) { try Variable.meanSquaredError(Variable(Tensor(repeating: 0, shape: [0])), Tensor(repeating: 0, shape: [0])) }
    }
}
