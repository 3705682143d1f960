import XCTest
@testable import MaplNN

/// Forward values of every layer on tiny inputs with fixed weights, against NumPy.
/// The reference script defines `P(shape, a=0.37, s=0.5, o=0)` = `(s*np.sin(a*np.arange(n)+o)).reshape(shape)`
/// (`pattern` here) and computes each layer with plain NumPy formulas; the literals are its output.
final class LayerForwardTests: XCTestCase {
    func testDense() throws {
        let d = try Dense(3, 2)
        d.W.value = pattern([3, 2]); d.b!.value = pattern([2], o: 1)
        let x = Variable(pattern([2, 3], a: 0.9, s: 1, o: 0.5))
        // NumPy: x @ W + b
        assertClose(try d(x).value.scalars, [1.124291, 1.376385, -0.3326288, -0.3479604])
        XCTAssertEqual(try d(x).shape, [2, 2])
        let t = try Dense(3, 2, activation: .tanh)
        t.W.value = d.W.value; t.b!.value = d.b!.value
        // NumPy: np.tanh(x @ W + b)
        assertClose(try t(x).value.scalars, [0.8090562, 0.8801392, -0.3208809, -0.3345655])
        XCTAssertEqual(t.signature, "dense(3, 2, act=tanh)")
        XCTAssertEqual(d.signature, "dense(3, 2)")
    }

    func testDenseFoldsLeadingAxesAndNoBias() throws {
        let d = try Dense(3, 2, bias: false)
        d.W.value = pattern([3, 2])
        XCTAssertNil(d.b)
        XCTAssertEqual(d.namedParameters.map(\.name), ["W"])
        let x = pattern([2, 1, 3], a: 0.9, s: 1, o: 0.5)
        let y = try d(Variable(x))
        XCTAssertEqual(y.shape, [2, 1, 2])
        // NumPy: x @ W (rows from testDense minus b = P([2], o=1) = [0.4207355, 0.4899540])
        assertClose(y.value.scalars, [1.124291 - 0.4207355, 1.376385 - 0.4899540, -0.3326288 - 0.4207355, -0.3479604 - 0.4899540])
        XCTAssertThrowsError(try d(Variable(pattern([2, 4])))) { e in
            XCTAssertTrue("\(e)".contains("[2, 4]"), "\(e)")
        }
    }

    func testConv2dStride1Pad1() throws {
        let c = try Conv2d(2, 3, 2, stride: 1, padding: 1)
        c.W.value = pattern([3, 2, 2, 2]); c.b.value = pattern([3], o: 2)
        let y = try c(Variable(pattern([1, 2, 3, 3], a: 0.7, s: 1, o: 0.3)))
        XCTAssertEqual(y.shape, [1, 3, 4, 4])
        // NumPy: explicit loops over np.pad(x) windows, Σ window·W[o] + b[o]
        assertClose(y.value.scalars, [0.668628, 1.278049, 1.78041, 1.183027, 1.134038, 1.687565, 1.119023, 0.4920511, 0.2006123, -0.5411068, -0.851909, -0.125326, -0.1935711, -0.6143097, -0.2210526, 0.2762719, 0.1260843, -0.4901401, -0.9819077, -0.3556452, -0.3263182, -0.7764773, -0.138075, 0.4028197, 0.6750556, 1.417547, 1.603133, 0.8533346, 0.9283154, 1.25113, 0.9037267, 0.4873894, 0.4192534, 1.022017, 1.487019, 0.8524718, 0.8437711, 1.175759, 0.4884904, 0.05146, -0.1926204, -0.9114668, -0.9657341, -0.2173773, -0.2966279, -0.5109033, -0.2207777, 0.1008811])
        XCTAssertEqual(c.signature, "conv2d(2, 3, 2, pad=1)")
    }

    func testConv2dStride2Batch() throws {
        let c = try Conv2d(2, 3, 2, stride: 2)
        c.W.value = pattern([3, 2, 2, 2]); c.b.value = pattern([3], o: 2)
        let y = try c(Variable(pattern([2, 2, 4, 4], a: 0.45, s: 1, o: 0.1)))
        XCTAssertEqual(y.shape, [2, 3, 2, 2])
        // NumPy: same loop reference, stride 2, no padding
        assertClose(y.value.scalars, [2.182701, 1.062626, -0.8316306, 0.6721602, -1.231915, 0.01394242, 1.400061, -0.1265798, 1.576521, 0.2458515, -0.5865454, 0.9127405, -0.5690412, -1.367704, 2.042661, 2.150494, 1.557869, 2.127572, -1.316075, -1.188206, -1.159562, -1.481571, 1.882113, 1.522748])
        XCTAssertThrowsError(try c(Variable(pattern([2, 3, 4, 4]))))
    }

    func testPoolingAndFlatten() throws {
        // 1..16 in a 4×4 image: 2×2 maxima are 6, 8, 14, 16; averages 3.5, 5.5, 11.5, 13.5 (by hand).
        let x = Variable(try Tensor(shape: [1, 1, 4, 4], scalars: (1...16).map(Float.init)))
        XCTAssertEqual(try MaxPool2d(2)(x).value.scalars, [6, 8, 14, 16])
        XCTAssertEqual(try AvgPool2d(2)(x).value.scalars, [3.5, 5.5, 11.5, 13.5])
        // Overlapping max pool, k=2 stride 1 on the same image: 3×3 output, max = bottom-right of each window.
        XCTAssertEqual(try MaxPool2d(2, stride: 1)(x).value.scalars, [6, 7, 8, 10, 11, 12, 14, 15, 16])
        let f = try Flatten()(Variable(pattern([2, 3, 2, 2])))
        XCTAssertEqual(f.shape, [2, 12])
        XCTAssertEqual(f.value.scalars, pattern([2, 3, 2, 2]).scalars)
    }

    func testBatchNormFeaturesTrainThenEval() throws {
        let bn = try BatchNorm(3)
        bn.gamma.value = pattern([3], o: 0.5) + 1; bn.beta.value = pattern([3], o: 1.5)
        let x = Variable(pattern([4, 3], a: 1.3, s: 2, o: 0.2))
        // NumPy: g*(x-x.mean(0))/np.sqrt(x.var(0)+1e-5)+b
        assertClose(try bn(x).value.scalars, [0.9498165, 2.076544, 0.7096416, -0.8092819, -1.636772, 0.8605271, 2.317538, 0.2452442, -2.00684, -0.4630828, 1.226127, 2.005303])
        // NumPy: running mean 0.1·mean, running var 0.9 + 0.1·x.var(0, ddof=1) (unbiased)
        assertClose(bn.runningMean.scalars, [-0.01241933, 0.04706292, 0.03759789])
        assertClose(bn.runningVar.scalars, [1.173939, 1.131561, 1.14804])
        bn.train(false)
        // NumPy: g*(x-rm)/np.sqrt(rv+1e-5)+b
        assertClose(try bn(x).value.scalars, [0.9675866, 3.008782, 1.261453, -1.359564, -1.591513, 1.453524, 2.776976, 0.7400498, -2.196502, -0.9015693, 1.955231, 2.910771])
        // Evaluation does not move the running statistics.
        assertClose(bn.runningVar.scalars, [1.173939, 1.131561, 1.14804])
        // A single sample is fine in eval, an error in training (its variance is undefined).
        XCTAssertNoThrow(try bn(Variable(pattern([1, 3]))))
        bn.train(true)
        XCTAssertThrowsError(try bn(Variable(pattern([1, 3]))))
    }

    func testBatchNormImages() throws {
        let bn = try BatchNorm(2)
        bn.gamma.value = Tensor([1.5, 0.5]); bn.beta.value = Tensor([0.1, -0.2])
        let x = Variable(pattern([2, 2, 2, 2], a: 0.8, s: 1.5, o: 0.4))
        // NumPy: statistics over axes (0, 2, 3) per channel
        assertClose(try bn(x).value.scalars, [-1.19656, 1.631859, 1.513318, -1.480278, 0.12125, -0.7337516, -0.6192981, 0.3951845, -0.6508356, 1.818887, 1.228201, -2.064592, -0.04922014, -0.7830183, -0.5174768, 0.5863304])
        // NumPy: 0.9 + 0.1 · unbiased variance over the 8 values of each channel
        assertClose(bn.runningVar.scalars, [0.9212931, 0.9227894])
    }

    func testLayerNorm() throws {
        let ln = try LayerNorm(4)
        ln.gamma.value = pattern([4], o: 0.2) + 1; ln.beta.value = pattern([4], o: 2.2)
        // NumPy: g*(x-x.mean(-1))/np.sqrt(x.var(-1)+1e-5)+b
        assertClose(try ln(Variable(pattern([2, 4], a: 1.1, s: 2, o: 0.3))).value.scalars,
                    [0.2704618, 1.789425, 0.7416329, -2.355139, -1.014616, -0.5130922, 1.076227, 1.714283])
    }

    func testEmbedding() throws {
        let e = try Embedding(5, 3)
        e.W.value = pattern([5, 3])
        let y = try e(Variable(try Tensor(shape: [2, 2], scalars: [0, 4, 2, 2])))
        XCTAssertEqual(y.shape, [2, 2, 3])
        let rows = pattern([5, 3]).scalars
        let expected = Array(rows[0..<3] + rows[12..<15] + rows[6..<9] + rows[6..<9])  // rows 0, 4, 2, 2
        XCTAssertEqual(y.value.scalars, expected)
        XCTAssertThrowsError(try e(Variable(Tensor([5])))) { err in XCTAssertTrue("\(err)".contains("0..<5"), "\(err)") }
        XCTAssertThrowsError(try e(Variable(Tensor([1.5]))))
    }

    func testRNNAgainstNumPyLoop() throws {
        let r = try RNN(3, 4)
        r.W_ih.value = pattern([3, 4]); r.W_hh.value = pattern([4, 4], a: 0.53, o: 0.3); r.b.value = pattern([4], o: 0.9)
        let y = try r(Variable(pattern([2, 3, 3], a: 0.61, s: 1, o: 0.2)))
        XCTAssertEqual(y.shape, [2, 3, 4])
        // NumPy: h = 0; for t: h = tanh(x[:,t] @ Wih + h @ Whh + b); stack over t on axis 1
        assertClose(y.value.scalars, [0.6866496, 0.6463513, 0.5315784, 0.3234614, 0.6254569, 0.7910186, 0.8460592, 0.8370569, -0.08485533, 0.2153526, 0.4298512, 0.532499, 0.4243633, 0.3181873, 0.160249, -0.02821437, 0.7663982, 0.8185097, 0.8086347, 0.7302801, 0.1733088, 0.5375784, 0.7199915, 0.7793181])
    }

    func testLSTMAgainstNumPyLoop() throws {
        let l = try LSTM(3, 2)
        l.W_ih.value = pattern([3, 8]); l.W_hh.value = pattern([2, 8], a: 0.53, o: 0.3); l.b.value = pattern([8], o: 0.9)
        let y = try l(Variable(pattern([2, 3, 3], a: 0.61, s: 1, o: 0.2)))
        XCTAssertEqual(y.shape, [2, 3, 2])
        // NumPy: z = x_t@Wi + h@Wh + b; i,f,g,o = σ,σ,tanh,σ of the four column blocks;
        //        c = f*c + i*g; h = o*tanh(c); outputs stacked on axis 1
        assertClose(y.value.scalars, [0.1531757, 0.1202783, 0.2482974, 0.1765715, 0.1739355, 0.0885549, 0.0908416, 0.05725399, 0.2467577, 0.182307, 0.2144295, 0.1254383])
    }

    /// Attention with the reference script's weights: W{q,k,v,o} = P([4,4], o=0.1/0.7/1.3/1.9) and
    /// biases 0.2·P([4], o=2.5/3.1/3.7/4.3).
    func makeAttention(heads: Int, causal: Bool) throws -> Attention {
        let a = try Attention(4, heads: heads, causal: causal)
        a.Wq.value = pattern([4, 4], o: 0.1); a.Wk.value = pattern([4, 4], o: 0.7)
        a.Wv.value = pattern([4, 4], o: 1.3); a.Wo.value = pattern([4, 4], o: 1.9)
        a.bq.value = pattern([4], s: 0.1, o: 2.5); a.bk.value = pattern([4], s: 0.1, o: 3.1)
        a.bv.value = pattern([4], s: 0.1, o: 3.7); a.bo.value = pattern([4], s: 0.1, o: 4.3)
        return a
    }

    func testAttentionAgainstNumPy() throws {
        let x = Variable(pattern([2, 3, 4], a: 0.77, s: 1.5, o: 0.6))
        // NumPy: q,k,v = x@W+b split to [B, heads, S, dh]; softmax(q@kᵀ/√dh (+ triu(−inf, 1))) @ v,
        //        heads merged back to [B, S, d], @ Wo + bo
        assertClose(try makeAttention(heads: 2, causal: false)(x).value.scalars, [0.008402728, -0.01917474, -0.044157, -0.06316281, 0.02257762, -0.03153317, -0.08137609, -0.1202051, 0.02284265, -0.01521503, -0.05121342, -0.08028032, -0.1413028, -0.1337055, -0.1080119, -0.06769928, -0.087771, -0.1104609, -0.1182003, -0.109942, -0.1690601, -0.1477523, -0.106447, -0.05073454])
        assertClose(try makeAttention(heads: 2, causal: true)(x).value.scalars, [0.1842296, 0.07097968, -0.05187706, -0.1677125, -0.05358837, -0.08735785, -0.1093039, -0.1164561, 0.02284265, -0.01521503, -0.05121342, -0.08028032, -0.2749761, -0.2329724, -0.159437, -0.06432255, -0.03161424, -0.05731915, -0.07526619, -0.0830263, -0.1690601, -0.1477523, -0.106447, -0.05073454])
        assertClose(try makeAttention(heads: 1, causal: true)(x).value.scalars, [0.1842296, 0.07097968, -0.05187706, -0.1677125, -0.08214137, -0.09339356, -0.09200537, -0.07816469, 0.04247096, -0.009372394, -0.05994724, -0.1024085, -0.2749761, -0.2329724, -0.159437, -0.06432255, -0.04785632, -0.05882772, -0.06183707, -0.05647706, -0.1479152, -0.1441652, -0.1209032, -0.08127744])
        XCTAssertThrowsError(try Attention(6, heads: 4))
    }

    func testActivationsByHand() throws {
        let x = Variable(Tensor([-2, 0, 1.5]))
        XCTAssertEqual(try Activation.relu(x).value.scalars, [0, 0, 1.5])
        XCTAssertEqual(try Activation.leakyRelu()(x).value.scalars, [-0.02, 0, 1.5])
        // 1/(1+e^2) = 0.11920292, 0.5, 1/(1+e^-1.5) = 0.81757448; tanh(-2) = -0.96402758, tanh(1.5) = 0.90514825
        assertClose(try Activation.sigmoid(x).value.scalars, [0.11920292, 0.5, 0.81757448], tol: 1e-6)
        assertClose(try Activation.tanh(x).value.scalars, [-0.96402758, 0, 0.90514825], tol: 1e-6)
        // x·Φ(x): Φ(-2) = 0.02275013, Φ(1.5) = 0.93319280 (normal table)
        assertClose(try Activation.gelu(x).value.scalars, [-0.04550026, 0, 1.3997892], tol: 1e-5)
        // NumPy: np.exp(x)/np.exp(x).sum() and x - np.log(np.exp(x).sum())
        assertClose(try Activation.softmax()(x).value.scalars, [0.02409377, 0.17803021, 0.79787603], tol: 1e-6)
        assertClose(try Activation.logSoftmax()(x).value.scalars, [-3.72580205, -1.72580205, -0.22580205], tol: 1e-5)
        XCTAssertEqual(Activation.names.compactMap { Activation.named($0)?.kind }, Activation.names)
        XCTAssertNil(Activation.named("swish"))
    }

    func testSequentialComposesAndNamesParameters() throws {
        let d1 = try Dense(4, 3), d2 = try Dense(3, 2)
        let model = Sequential.composing(Sequential.composing(Flatten(), d1), Sequential([Activation.relu, d2]))
        XCTAssertEqual(model.layers.count, 4)
        XCTAssertEqual(model.kind, "seq")
        XCTAssertEqual(model.signature, "seq(flatten, dense(4, 3), relu, dense(3, 2))")
        XCTAssertEqual(model.namedParameters.map(\.name), ["layers.1.W", "layers.1.b", "layers.3.W", "layers.3.b"])
        XCTAssertTrue(model.parameters[0] === d1.W)
        XCTAssertEqual(model.parameterCount, 4 * 3 + 3 + 3 * 2 + 2)
        let x = Variable(pattern([2, 2, 2]))
        let expected = try d2(Variable.relu(try d1(Variable(try x.value.reshaped([2, 4])))))
        XCTAssertEqual(try model(x).value, expected.value)
    }

    func testInitialisationBoundsAndSeeding() throws {
        Random.seed(42)
        let a = try Dense(100, 50)
        Random.seed(42)
        let b = try Dense(100, 50)
        XCTAssertEqual(a.W.value, b.W.value, "same seed, same weights")
        // PyTorch bound 1/√in = 0.1 for both weights and bias.
        XCTAssertLessThanOrEqual(a.W.value.scalars.map(abs).max()!, 0.1)
        XCTAssertGreaterThan(a.W.value.scalars.map(abs).max()!, 0.09, "draws fill the range")
        XCTAssertLessThanOrEqual(a.b!.value.scalars.map(abs).max()!, 0.1)
        let c = try Conv2d(3, 8, 3)
        XCTAssertLessThanOrEqual(c.W.value.scalars.map(abs).max()!, 1 / Float(27).squareRoot())
        let e = try Embedding(1000, 10)
        let m = e.W.value.scalars.reduce(0, +) / 10000
        let v = e.W.value.scalars.map { ($0 - m) * ($0 - m) }.reduce(0, +) / 10000
        XCTAssertEqual(m, 0, accuracy: 0.05); XCTAssertEqual(v, 1, accuracy: 0.05)
        XCTAssertThrowsError(try Dense(0, 3))
        XCTAssertThrowsError(try Dropout(1.5))
    }
}
