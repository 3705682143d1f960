import XCTest
@testable import MaplEngine

/// sum mean max min var std argmax argmin over every axis (and negative ones), keepdims, and bad axes.
/// Expected values: `x = np.sin(np.arange(24) * 1.3).astype(np.float32).reshape(2, 3, 4)`, then
/// `x.sum(axis=k)` etc. in float32 (var/std with NumPy's default ddof=0).
final class ReductionTests: XCTestCase {
    let x = Sample.x

    func testAxis0() throws {
        assertClose(try x.sum(axis: 0), [3, 4], [0.10775364935398102, 0.03443419933319092, -0.08933144807815552, -0.08222627639770508, 0.045340538024902344, 0.10648339241743088, 0.011627793312072754, -0.10026255249977112, -0.06526798009872437, 0.06534433364868164, 0.10022705793380737, -0.011723101139068604])
        assertClose(try x.max(axis: 0), [3, 4], [0.10775364935398102, 0.9635581970214844, 0.5155013799667358, 0.605539858341217, 0.9287952184677124, 0.21511998772621155, 0.9985433220863342, 0.3190983533859253, 0.7625584602355957, 0.8273279070854187, 0.4201670289039612, 0.9867719411849976])
        assertClose(try x.min(axis: 0), [3, 4], [0.0, -0.9291239976882935, -0.6048328280448914, -0.6877661347389221, -0.8834546804428101, -0.10863659530878067, -0.9869155287742615, -0.4193609058856964, -0.8278264403343201, -0.7619835734367371, -0.3199399709701538, -0.9984950423240662])
        assertClose(try x.argmax(axis: 0), [3, 4], [1, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0])
        assertClose(try x.argmin(axis: 0), [3, 4], [0, 1, 1, 0, 0, 1, 1, 1, 0, 0, 1, 1])
        assertClose(try Variable.variance(Variable(x), axis: 0).value, [3, 4], [0.00290271220728755, 0.8955614566802979, 0.31378716230392456, 0.4181601107120514, 0.821062445640564, 0.026204580441117287, 0.9855117201805115, 0.1363305151462555, 0.6323310732841492, 0.6314777731895447, 0.13693960011005402, 0.9853211641311646], tol: 1e-4)
    }

    func testAxis1WithKeepdims() throws {
        assertClose(try x.sum(axis: 1, keepdims: true), [2, 1, 4], [-1.7112810611724854, 0.4166945815086365, 1.9342117309570312, 0.6181041598320007, 1.799107313156128, -0.21043270826339722, -1.9116883277893066, -0.8123160600662231])
        assertClose(try x.mean(axis: 1), [2, 4], [-0.5704270005226135, 0.13889819383621216, 0.6447372436523438, 0.20603471994400024, 0.5997024178504944, -0.07014423608779907, -0.6372294425964355, -0.2707720100879669])
        assertClose(try x.argmax(axis: 1), [2, 4], [0, 0, 1, 2, 1, 2, 2, 0])
        assertClose(try Variable.std(Variable(x), axis: 1, keepdims: true).value, [2, 1, 4], [0.4039916396141052, 0.7065082788467407, 0.25318795442581177, 0.6882862448692322, 0.35441869497299194, 0.7175848484039307, 0.27325356006622314, 0.6632199287414551], tol: 1e-4)
    }

    func testNegativeAxisEqualsLastAxis() throws {
        let mean: [Float] = [0.19782336056232452, 0.16232673823833466, -0.0457177460193634, -0.20516584813594818, -0.14652946591377258, 0.0678628534078598]
        assertClose(try x.mean(axis: -1), [2, 3], mean)
        assertClose(try x.mean(axis: 2), [2, 3], mean)
        assertClose(try x.max(axis: -1, keepdims: true), [2, 3, 1], [0.9635581970214844, 0.9985433220863342, 0.9867719411849976, 0.605539858341217, 0.9287952184677124, 0.8273279070854187])
        assertClose(try x.min(axis: -1), [2, 3], [-0.6877661347389221, -0.8834546804428101, -0.8278264403343201, -0.9291239976882935, -0.9869155287742615, -0.9984950423240662])
        assertClose(try x.argmin(axis: -1), [2, 3], [3, 0, 0, 1, 2, 3])
        assertClose(try Variable.variance(Variable(x), axis: -1).value, [2, 3], [0.37766799330711365, 0.4550703167915344, 0.6019535064697266, 0.359752893447876, 0.4846111834049225, 0.5867248177528381], tol: 1e-4)
        assertClose(try Variable.std(Variable(x), axis: -1).value, [2, 3], [0.6145469546318054, 0.6745889782905579, 0.775856614112854, 0.5997940301895142, 0.6961402297019958, 0.7659796476364136], tol: 1e-4)
        assertClose(try Variable.sum(Variable(x), axis: -2).value, [2, 4], [-1.7112810611724854, 0.4166945815086365, 1.9342117309570312, 0.6181041598320007, 1.799107313156128, -0.21043270826339722, -1.9116883277893066, -0.8123160600662231])
    }

    func testWholeTensor() throws {
        // x.sum() 0.12239957, x.mean() 0.005099982, x.max() 0.9985433, x.var() 0.50022805, x.std() 0.707268,
        // x.argmax() 6, x.argmin() 23 (flattened, as NumPy)
        assertClose(try x.sum(), [], [0.12239957], tol: 1e-5)
        assertClose(try x.mean(), [], [0.005099982], tol: 1e-5)
        assertClose(try x.max(), [], [0.9985433])
        assertClose(try x.max(keepdims: true), [1, 1, 1], [0.9985433])
        assertClose(try Variable.variance(Variable(x)).value, [], [0.50022805], tol: 1e-5)
        assertClose(try Variable.std(Variable(x)).value, [], [0.707268], tol: 1e-5)
        assertClose(try x.argmax(), [], [6])
        assertClose(try x.argmin(), [], [23])
    }

    func testVarianceIsPopulationNotSample() throws {
        // [1, 2, 3, 4]: population variance 1.25 (np.var), sample variance would be 1.6667.
        assertClose(try Variable.variance(Variable(Tensor([1, 2, 3, 4]))).value, [], [1.25])
        assertClose(try Variable.std(Variable(Tensor([1, 2, 3, 4]))).value, [], [1.1180339887])  // √1.25
    }

    func testTiesGoToFirst() throws {
        assertClose(try Tensor([3, 1, 3, 0]).argmax(), [], [0])
        assertClose(try Tensor([0, -1, 5, -1]).argmin(), [], [1])
    }

    func testBadAxesThrow() {
        assertThrows(["axis 3", "[2, 3, 4]"]) { try x.sum(axis: 3) }
        assertThrows(["axis -4", "[2, 3, 4]"]) { try x.mean(axis: -4) }
        assertThrows(["axis 5"]) { try x.max(axis: 5) }
        assertThrows(["axis 3"]) { try x.argmax(axis: 3) }
        assertThrows(["axis 3"]) { try Variable.variance(Variable(x), axis: 3) }
        assertThrows(["axis -5"]) { try Variable.sum(Variable(x), axis: -5) }
        assertThrows(["axis 2"]) { try Tensor.softmax(Tensor([1, 2]), axis: 2) }
    }

    func testEmptyReductions() throws {
        let e = try Tensor.zeros([0, 3])
        assertClose(try e.sum(axis: 0), [3], [0, 0, 0])  // np.zeros((0,3)).sum(0)
        assertThrows(["max", "empty", "[0, 3]"]) { try e.max() }
        assertThrows(["min", "empty"]) { try e.min(axis: 0) }
        assertThrows(["mean", "empty"]) { try e.mean() }
        assertThrows(["argmax", "empty"]) { try e.argmax() }
        assertThrows(["var", "empty"]) { try Variable.variance(Variable(e)) }
    }
}

/// Softmax / log-softmax along an axis, including inputs far beyond exp's range.
/// Expected: `s = [[1,2,3],[-1,0,5]]`, `np.exp(s)/np.exp(s).sum(axis, keepdims=True)` in float64.
final class SoftmaxTests: XCTestCase {
    let s = Tensor(unchecked: [2, 3], [1, 2, 3, -1, 0, 5])

    func testSoftmaxAndLogSoftmax() throws {
        assertClose(try Tensor.softmax(s, axis: -1), [2, 3], [0.09003057330846786, 0.2447284758090973, 0.6652409434318542, 0.002456114860251546, 0.006676412653177977, 0.9908674955368042])
        assertClose(try Variable.softmax(Variable(s)).value, [2, 3], [0.09003057330846786, 0.2447284758090973, 0.6652409434318542, 0.002456114860251546, 0.006676412653177977, 0.9908674955368042])
        assertClose(try Variable.logSoftmax(Variable(s)).value, [2, 3], [-2.4076058864593506, -1.4076060056686401, -0.40760597586631775, -6.009174346923828, -5.009174346923828, -0.009174484759569168])
        assertClose(try Variable.softmax(Variable(s), axis: 0).value, [2, 3], [0.8807970881462097, 0.8807970881462097, 0.11920291930437088, 0.11920291930437088, 0.11920291930437088, 0.8807970881462097])
    }

    func testLargeValuesAreStable() throws {
        // softmax is shift-invariant: [1000,1001,1002] gives softmax([0,1,2]) (naive exp would overflow to inf/inf).
        let big = Tensor([1000, 1001, 1002])
        assertClose(try Tensor.softmax(big, axis: 0), [3], [0.09003057330846786, 0.2447284758090973, 0.6652409434318542])
        assertClose(try Tensor.logSoftmax(big, axis: 0), [3], [-2.4076058864593506, -1.4076060056686401, -0.40760597586631775])
        let neg = try Tensor.logSoftmax(Tensor([-1000, 0]), axis: 0)
        assertClose(neg, [2], [-1000, 0])  // log(1 + e^-1000) underflows to exactly 0 in float32
        XCTAssertTrue(try Tensor.softmax(Tensor([1e30, -1e30]), axis: 0).scalars.allSatisfy(\.isFinite))
    }
}
