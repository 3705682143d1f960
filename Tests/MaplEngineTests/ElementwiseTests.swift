import XCTest
@testable import MaplEngine

/// Forward values of every elementwise op and of broadcasting, against NumPy (float32). Expected values:
/// `a = np.array([[-1.5,-0.3,0.2],[0.7,1.1,2.5]], np.float32)`, `b = np.array([0.5,-2.0,1.5], np.float32)`,
/// `pos = np.array([[0.5,1.2,2.0],[3.0,0.25,1.7]], np.float32)`, printed with `repr(float(v))`.
final class ElementwiseTests: XCTestCase {
    let a = Sample.a, b = Sample.b, pos = Sample.pos

    /// The forward value of a recorded op on a constant.
    func fwd(_ f: (Variable) throws -> Variable, _ x: Tensor) throws -> Tensor { try f(Variable(x)).value }

    /// `+ − × ÷` of same-shaped tensors and with a scalar on either side (the vectorised loops, split over
    /// the worker pool at this size): every element is the one IEEE operation on its operands, as Swift's
    /// scalar `Float` arithmetic gives it — including ±0, infinities, NaN and division by zero.
    func testArithmeticIsTheScalarOperationElementByElement() throws {
        let special: [Float] = [0, -0.0, 1, -1, .infinity, -.infinity, .nan, 3e38, -.leastNonzeroMagnitude, 7]
        let n = 100_003   // above the parallel threshold, and not a multiple of the vector width
        let x = Tensor(unchecked: [n], (0..<n).map { i in i < 100 ? special[i % 10] : Float(sin(Double(i))) * 37 })
        let y = Tensor(unchecked: [n], (0..<n).map { i in i < 100 ? special[(i / 10) % 10] : Float(cos(Double(i) * 0.3)) * 5 })
        let s: Float = -2.75
        let cases: [(String, Tensor, (Float, Float) -> Float)] = [
            ("x + y", try x + y, { $0 + $1 }), ("x − y", try x - y, { $0 - $1 }),
            ("x × y", try x * y, { $0 * $1 }), ("x ÷ y", try x / y, { $0 / $1 }),
            ("x + s", x + s, { a, _ in a + s }), ("x − s", x - s, { a, _ in a - s }),
            ("x × s", x * s, { a, _ in a * s }), ("x ÷ s", x / s, { a, _ in a / s }), ("s × x", s * x, { a, _ in s * a }),
            ("[s] − x", try Tensor(s) - x, { a, _ in s - a }), ("[s] ÷ x", try Tensor(s) / x, { a, _ in s / a }),
            ("x ÷ [s]", try x / Tensor(s), { a, _ in a / s }),
        ]
        for (name, result, op) in cases {
            XCTAssertEqual(result.shape, [n], name)
            for i in 0..<n {
                let expected = op(x.scalars[i], y.scalars[i]), actual = result.scalars[i]
                if expected.bitPattern != actual.bitPattern && !(expected.isNaN && actual.isNaN) {
                    XCTFail("\(name) at \(i): \(actual), expected \(expected) (x = \(x.scalars[i]), y = \(y.scalars[i]))"); break
                }
            }
        }
    }

    func testArithmeticWithRowBroadcast() throws {
        assertClose(try a + b, [2, 3], [-1.0, -2.299999952316284, 1.7000000476837158, 1.2000000476837158, -0.8999999761581421, 4.0])
        assertClose(try a - b, [2, 3], [-2.0, 1.7000000476837158, -1.2999999523162842, 0.19999998807907104, 3.0999999046325684, 1.0])
        assertClose(try a * b, [2, 3], [-0.75, 0.6000000238418579, 0.30000001192092896, 0.3499999940395355, -2.200000047683716, 3.75])
        assertClose(try a / b, [2, 3], [-3.0, 0.15000000596046448, 0.13333334028720856, 1.399999976158142, -0.550000011920929, 1.6666666269302368])
        // np.power(pos, b)
        assertClose(try Variable.pow(Variable(pos), Variable(b)).value, [2, 3],
                    [0.7071067690849304, 0.6944444179534912, 2.8284270763397217, 1.7320507764816284, 16.0, 2.21652889251709])
        // The same through Variable must agree with Tensor.
        XCTAssertEqual(try (Variable(a) + Variable(b)).value, try a + b)
        XCTAssertEqual(try (Variable(a) / Variable(b)).value, try a / b)
        // a + [[10],[20]]: column broadcast
        assertClose(try a + T([2, 1], [10, 20]), [2, 3], [8.5, 9.699999809265137, 10.199999809265137, 20.700000762939453, 21.100000381469727, 22.5])
        // with a Float and with a rank-0 tensor
        assertClose(a * 2, [2, 3], [-3, -0.6, 0.4, 1.4, 2.2, 5])
        assertClose(try Tensor(2) - a, [2, 3], [3.5, 2.3, 1.8, 1.3, 0.9, -0.5])
        assertClose(-a, [2, 3], [1.5, 0.3, -0.2, -0.7, -1.1, -2.5])
        // [2,1] with [3] → [2,3] (both sides broadcast)
        assertClose(try T([2, 1], [1, 2]) * Tensor([1, 10, 100]), [2, 3], [1, 10, 100, 2, 20, 200])
    }

    func testUnaryMapsMatchNumPy() throws {
        assertClose(try fwd(Variable.exp, a), [2, 3], [0.22313015162944794, 0.740818202495575, 1.2214027643203735, 2.0137526988983154, 3.0041661262512207, 12.182493209838867])
        assertClose(try fwd(Variable.log, pos), [2, 3], [-0.6931471824645996, 0.18232160806655884, 0.6931471824645996, 1.0986123085021973, -1.3862943649291992, 0.5306282639503479])
        assertClose(try fwd(Variable.sqrt, pos), [2, 3], [0.7071067690849304, 1.095445156097412, 1.4142135381698608, 1.7320507764816284, 0.5, 1.3038405179977417])
        assertClose(try fwd(Variable.abs, a), [2, 3], [1.5, 0.30000001192092896, 0.20000000298023224, 0.699999988079071, 1.100000023841858, 2.5])
        assertClose(try fwd(Variable.sin, a), [2, 3], [-0.9974949955940247, -0.29552021622657776, 0.19866932928562164, 0.6442176699638367, 0.8912073373794556, 0.5984721779823303])
        assertClose(try fwd(Variable.cos, a), [2, 3], [0.07073719799518585, 0.9553365111351013, 0.9800665974617004, 0.7648422122001648, 0.4535961151123047, -0.8011435866355896])
        assertClose(try fwd(Variable.tanh, a), [2, 3], [-0.9051482081413269, -0.29131263494491577, 0.1973753273487091, 0.6043677926063538, 0.8004990220069885, 0.9866142868995667])
        // 1/(1+np.exp(-a)) in float64
        assertClose(try fwd(Variable.sigmoid, a), [2, 3], [0.18242552876472473, 0.4255574941635132, 0.5498340129852295, 0.6681877970695496, 0.7502601146697998, 0.9241418242454529])
        assertClose(try fwd(Variable.relu, a), [2, 3], [0.0, 0.0, 0.20000000298023224, 0.699999988079071, 1.100000023841858, 2.5])
        // x·½(1+erf(x/√2)) with math.erf in float64 — the exact GELU, not the tanh approximation
        assertClose(try fwd(Variable.gelu, a), [2, 3], [-0.10021080076694489, -0.11462657898664474, 0.11585194617509842, 0.5306254029273987, 0.9507673382759094, 2.48447585105896])
        // np.where(a > 0, a, 0.1 * a)
        assertClose(try fwd({ Variable.leakyRelu($0, slope: 0.1) }, a), [2, 3], [-0.15000000596046448, -0.030000001192092896, 0.20000000298023224, 0.699999988079071, 1.100000023841858, 2.5])
        // np.clip(a, -0.5, 1.0)
        assertClose(try fwd({ Variable.clip($0, -0.5, 1.0) }, a), [2, 3], [-0.5, -0.30000001192092896, 0.20000000298023224, 0.699999988079071, 1.0, 1.0])
        assertClose(try fwd({ -$0 }, a), [2, 3], [1.5, 0.3, -0.2, -0.7, -1.1, -2.5])
    }

    func testSigmoidStaysFiniteAtExtremes() throws {
        let y = try fwd(Variable.sigmoid, Tensor([-100, 100, -1000]))
        XCTAssertEqual(y.scalars[1], 1)
        XCTAssertTrue(y.scalars.allSatisfy { $0.isFinite && $0 >= 0 })
    }

    func testWhereBroadcastsConditionAndOperands() throws {
        // np.where(np.array([[1],[0]]) != 0, a, b)
        let y = try Variable.where(T([2, 1], [1, 0]), Variable(a), Variable(b)).value
        assertClose(y, [2, 3], [-1.5, -0.30000001192092896, 0.20000000298023224, 0.5, -2.0, 1.5])
        assertThrows(["[2]", "[3]"]) { try Variable.where(Tensor([1, 0]), Variable(b), Variable(b)) }
    }

    func testComparisonsMatchNumPy() throws {
        let r = Tensor([0.2, -0.3, 0.2])
        let cases: [(Tensor.Comparison, [Float])] = [
            (.lt, [1, 0, 0, 0, 0, 0]), (.le, [1, 1, 1, 0, 0, 0]), (.gt, [0, 0, 0, 1, 1, 1]),
            (.ge, [0, 1, 1, 1, 1, 1]), (.eq, [0, 1, 1, 0, 0, 0]), (.ne, [1, 0, 0, 1, 1, 1]),
        ]  // np.less(a, r).astype(np.float32) etc.
        for (op, expected) in cases { assertClose(try Tensor.compare(a, r, op), [2, 3], expected) }
        // NaN compares unequal to everything, as IEEE (and NumPy) say.
        XCTAssertEqual(try Tensor.compare(Tensor([.nan]), Tensor([.nan]), .eq).scalars, [0])
        XCTAssertEqual(try Tensor.compare(Tensor([.nan]), Tensor([1]), .ne).scalars, [1])
    }

    func testBroadcastErrorsNameBothShapes() {
        assertThrows(["[2, 3]", "[2]", "broadcast"]) { try a + Tensor([1, 2]) }
        assertThrows(["[2, 3]", "[4, 1, 2]"]) { try a * Tensor(repeating: 1, shape: [4, 1, 2]) }
        assertThrows(["[2, 3]", "[2]"]) { try Variable(a) - Variable(Tensor([1, 2])) }
        assertThrows(["[2, 3]", "[2]"]) { try Tensor.compare(a, Tensor([1, 2]), .lt) }
        XCTAssertEqual(try Shape.broadcast([4, 1, 3], [2, 1]), [4, 2, 3])
        XCTAssertEqual(try Shape.broadcast([], [2, 2]), [2, 2])
        XCTAssertEqual(try Shape.broadcast([0, 3], [1, 3]), [0, 3])
    }

    func testSumToShapeUndoesBroadcast() throws {
        let g = try Tensor.arange(0, 24).reshaped([2, 3, 4])
        // np.arange(24).reshape(2,3,4).sum(axis=(0,1)) -> [60, 66, 72, 78]
        assertClose(g.sum(toShape: [4]), [4], [60, 66, 72, 78])
        // .sum(axis=(0,2), keepdims) -> [[[60],[92],[124]]] reshaped [3,1]
        assertClose(g.sum(toShape: [3, 1]), [3, 1], [60, 92, 124])
        assertClose(g.sum(toShape: [2, 1, 4]), [2, 1, 4], [12, 15, 18, 21, 48, 51, 54, 57])
        assertClose(g.sum(toShape: []), [], [276])
    }

    func testInPlaceAddAndAllClose() throws {
        var x = a
        try x.add(b, scaledBy: 2)
        assertClose(x, [2, 3], [-0.5, -4.3, 3.2, 1.7, -2.9, 5.5])
        assertThrows(["[3, 3]", "[3]", "in place"]) { var y = Tensor(repeating: 0, shape: [3]); try y.add(Tensor(repeating: 0, shape: [3, 3])); return y }
        XCTAssertTrue(Tensor.allClose(Tensor([1, 2]), Tensor([1, 2.000001])))
        XCTAssertFalse(Tensor.allClose(Tensor([1, 2]), Tensor([1, 2.1])))
        XCTAssertFalse(Tensor.allClose(Tensor([1, 2]), Tensor([1, 2, 3])))
    }
}
