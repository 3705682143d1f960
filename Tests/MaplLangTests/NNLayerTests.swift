import XCTest
@testable import MaplLang
import MaplNN

/// Every layer builtin from the language, with weights set by the test and outputs worked out by hand or
/// with NumPy (the expressions are in the comments).
final class NNLayerTests: XCTestCase {
    func testDenseComputesXWPlusBAndAppliesItsActivation() throws {
        let s = Session()
        try s.run("""
        d = dense(2, 3)
        d.W = [[1, 2, 3], [4, 5, 6]]
        d.b = [0.5, -1, 0]
        y = d([[2, 1], [1, -1]])
        r = dense(2, 3, act=relu)
        r.W = d.W
        r.b = d.b
        z = r([[1, -1]])
        nb = len(dense(2, 3, bias=false).params)
        """)
        // [2, 1]·W = [6, 9, 12], + b = [6.5, 8, 12];  [1, -1]·W = [-3, -3, -3], + b = [-2.5, -4, -3]
        assertScalars(s.tensor("y"), [6.5, 8, 12, -2.5, -4, -3], shape: [2, 3])
        assertScalars(s.tensor("z"), [0, 0, 0], shape: [1, 3])
        XCTAssertEqual(s.number("nb"), 1)
    }

    /// Any mapping is an activation (act=x -> tanh(x) used to be refused). NumPy, same W, b, x:
    /// tanh(x@W + b) and its weight gradient xᵀ(1 − y²); swish z·σ(z).
    func testAnyMappingIsAnActivation() throws {
        let s = Session()
        try s.run("""
            m = dense(2, 3, act=x -> tanh(x))
            m.W = [[0.1, -0.2, 0.3], [0.4, 0.5, -0.6]]
            m.b = [0.01, 0.02, 0.03]
            x = [[1.0, 2.0], [-1.0, 0.5]]
            y = m(x)
            backward(sum(y))
            swish(z) = z * sigmoid(z)
            n = dense(2, 3, act=swish)
            n.W = m.W
            n.b = m.b
            ys = n(x)
            """)
        assertScalars(s.tensor("y"), [0.721132, 0.67507, -0.701374, 0.109558, 0.438199, -0.515359], shape: [2, 3])
        assertScalars(s.interpreter.lookup("m").flatMap { v -> Tensor? in
            guard case .mapping(let l as LayerMapping) = v else { return nil }
            return (l.layer as? Dense)?.W.grad
        }, [-0.508029, -0.263701, -0.22633, 1.453935, 1.492552, 1.383351])
        assertScalars(s.tensor("ys"), [0.64883, 0.569274, -0.256871, 0.058022, 0.28923, -0.205905], shape: [2, 3])
        XCTAssertEqual(try s.echo("m"), "<mapping dense(2, 3, act=(x -> …))>")
        XCTAssertEqual(try s.echo("n"), "<mapping dense(2, 3, act=swish)>")
        XCTAssertEqual(s.error("dense(2, 3, act=dense(3, 3))")?.message,
                       "dense(): 'act' must be a mapping without parameters, like relu or x -> tanh(x); dense(3, 3) has parameters, so make it a stage of its own: dense(…) >> dense(3, 3)")
        XCTAssertEqual(s.error("dense(2, 3, act=3)")?.message, "dense(): 'act' must be an activation such as relu or any mapping (x -> tanh(x)), got a number")
        XCTAssertEqual(s.error("dense(2, 3, act=\"relux\")")?.message,
                       "dense(): 'act' names no activation (relu, sigmoid, tanh, softmax, log_softmax, gelu, leaky_relu), got \"relux\"")
        // It trains: XOR with a lambda activation reaches the accuracy of act=tanh.
        try s.run("""
            seed(1)
            d = xor()
            net = dense(2, 8, act=x -> tanh(x)) >> dense(8, 1, act=sigmoid)
            h = fit(net, d, loss=bce, opt=adam(net, lr=0.05), epochs=300, batch=4)
            p = predict(net, d.x)
            """)
        assertScalars(s.tensor("p").map { $0.scalars.map { $0 > 0.5 ? 1 : 0 } }.map { Tensor($0) }, [0, 1, 1, 0])
    }

    func testConvolutionAndPooling() throws {
        let s = Session()
        try s.run("""
        c = conv2d(1, 1, 2)
        c.W = ones(1, 1, 2, 2)
        c.b = [0]
        img = reshape(arange(9), 1, 1, 3, 3)
        y = c(img)
        p = conv2d(1, 1, 2, pad=1)(img).shape
        st = conv2d(1, 1, 2, stride=2)(img).shape
        x16 = reshape(arange(16), 1, 1, 4, 4)
        mp = maxpool2d(2)(x16)
        mp1 = maxpool2d(2, stride=1)(img)
        ap = avgpool2d(2)(x16)
        fl = flatten(zeros(2, 3, 4)).shape
        """)
        // 2×2 windows of [[0,1,2],[3,4,5],[6,7,8]] summed: 0+1+3+4, 1+2+4+5, 3+4+6+7, 4+5+7+8
        assertScalars(s.tensor("y"), [8, 12, 20, 24], shape: [1, 1, 2, 2])
        XCTAssertEqual(try s.echo("p"), "[1, 1, 4, 4]")      // (3 + 2 − 2) + 1 = 4
        XCTAssertEqual(try s.echo("st"), "[1, 1, 1, 1]")     // ⌊(3 − 2) / 2⌋ + 1 = 1
        assertScalars(s.tensor("mp"), [5, 7, 13, 15], shape: [1, 1, 2, 2])
        assertScalars(s.tensor("mp1"), [4, 5, 7, 8], shape: [1, 1, 2, 2])
        assertScalars(s.tensor("ap"), [2.5, 4.5, 10.5, 12.5], shape: [1, 1, 2, 2])
        XCTAssertEqual(try s.echo("fl"), "[2, 12]")
    }

    func testDropoutTrainsAndEvaluates() throws {
        let s = Session()
        try s.run("""
        seed(3)
        d = dropout(0.5)
        y = d(ones(1, 1000))
        eval(d)
        e = d(ones(1, 4))
        train(d)
        t = d(ones(1, 1000))
        """)
        guard let y = s.tensor("y") else { return XCTFail() }
        XCTAssertTrue(y.scalars.allSatisfy { $0 == 0 || $0 == 2 })   // kept elements scaled by 1/(1 − 0.5)
        let dropped = y.scalars.filter { $0 == 0 }.count
        XCTAssertTrue((400...600).contains(dropped), "\(dropped) of 1000 dropped at p = 0.5")
        assertScalars(s.tensor("e"), [1, 1, 1, 1])
        XCTAssertTrue(s.tensor("t")?.scalars.contains(0) ?? false)
    }

    func testNormalizationLayers() throws {
        let s = Session()
        try s.run("""
        bn = batchnorm(2)
        y = bn([[1, 2], [3, 6]])
        ln = layernorm(3)
        z = ln([[1, 2, 3]])
        """)
        // NumPy: (x − x.mean(0)) / sqrt(x.var(0) + 1e-5) and (x − 2) / sqrt(x.var() + 1e-5)
        assertScalars(s.tensor("y"), [-0.999995, -0.99999875, 0.999995, 0.99999875])
        assertScalars(s.tensor("z"), [-1.22473569, 0, 1.22473569])
    }

    func testEmbeddingLooksUpRows() throws {
        let s = Session()
        try s.run("""
        e = embedding(4, 2)
        e.W = [[0, 0], [1, 1], [2, 2], [3, 3]]
        y = e([[3, 1, 0]])
        """)
        assertScalars(s.tensor("y"), [3, 3, 1, 1, 0, 0], shape: [1, 3, 2])
    }

    func testRecurrentLayers() throws {
        let s = Session()
        try s.run("""
        r = rnn(1, 1)
        r.W_ih = [[0.5]]
        r.W_hh = [[-1]]
        r.b = [0.1]
        h = r([[[1], [2]]])
        l = lstm(1, 1)
        l.W_ih = [[1, 0, 2, 0]]
        l.W_hh = zeros(1, 4)
        l.b = zeros(4)
        g = l([[[0.5]]])
        shape = lstm(3, 5)(zeros(2, 7, 3)).shape
        """)
        // h1 = tanh(0.5·1 + 0.1); h2 = tanh(0.5·2 + 0.1 − h1)
        assertScalars(s.tensor("h"), [0.53704957, 0.51016325], shape: [1, 2, 1])
        // gates i, f, g, o from z = [0.5, 0, 1, 0]: c = σ(0.5)·tanh(1); h = σ(0)·tanh(c)
        assertScalars(s.tensor("g"), [0.2207375], shape: [1, 1, 1])
        XCTAssertEqual(try s.echo("shape"), "[2, 7, 5]")
    }

    /// A causal layer's output at a position ignores later positions; a plain one does not.
    func testAttentionShapesAndCausality() throws {
        let s = Session()
        try s.run("""
        seed(2)
        x = randn(2, 5, 8)
        x2 = x
        x2[:, 4] = randn(2, 8)
        c = attention(8, heads=2, causal=true)
        a = attention(8, heads=2)
        shape = a(x).shape
        causal_same = close(c(x)[:, 0:4], c(x2)[:, 0:4])
        plain_same = close(a(x)[:, 0], a(x2)[:, 0])
        """)
        XCTAssertEqual(try s.echo("shape"), "[2, 5, 8]")
        XCTAssertEqual(try s.echo("causal_same"), "true")
        XCTAssertEqual(try s.echo("plain_same"), "false")
    }

    func testSeqIsTheSameAsComposition() throws {
        let s = Session()
        try s.run("""
        seed(0)
        a = seq(flatten, dense(784, 128, act=relu), dense(128, 10))
        b = flatten >> a.layers[1] >> a.layers[2]
        x = rand(3, 1, 28, 28)
        same = close(a(x), b(x))
        n = len(a.layers)
        nested = len(seq(a, relu).layers)
        count = 0
        for p in a.params { count += p.size }
        """)
        XCTAssertEqual(try s.echo("same"), "true")
        XCTAssertEqual(s.number("n"), 3)
        XCTAssertEqual(s.number("nested"), 4)          // a model as a stage is spliced in, as with >>
        XCTAssertEqual(s.number("count"), 101770)      // 784·128 + 128 + 128·10 + 10
    }

    func testSummaryTable() throws {
        let s = Session()
        try s.run("summary(flatten >> dense(784, 128) >> relu >> dense(128, 10))")
        XCTAssertEqual(s.printed.joined(separator: "\n"), """
        layer            output    params
        input            [n, 784]
        flatten          [n, 784]       0
        dense(784, 128)  [n, 128]  100480
        relu             [n, 128]       0
        dense(128, 10)   [n, 10]     1290
        total                      101770
        """)
    }

    func testSummaryOfAConvolutionalModelAssumesMNISTImages() throws {
        let s = Session()
        try s.run("summary(conv2d(1, 8, 3, pad=1) >> relu >> maxpool2d(2) >> flatten >> dense(1568, 10) >> (h -> h * 2))")
        let text = s.printed.joined(separator: "\n")
        XCTAssertTrue(text.contains("input                   [n, 1, 28, 28]"), text)
        XCTAssertTrue(text.contains("conv2d(1, 8, 3, pad=1)  [n, 8, 28, 28]      80"), text)   // 8·1·3·3 + 8
        XCTAssertTrue(text.contains("maxpool2d(2)            [n, 8, 14, 14]       0"), text)
        XCTAssertTrue(text.contains("(h -> …)                [n, 10]              0"), text)
        XCTAssertTrue(text.contains("total                                    15770"), text)  // 80 + 1568·10 + 10
        XCTAssertTrue(text.contains("28×28"), text)
    }

    func testSummaryWithAStageThatFailsShowsQuestionMarks() throws {
        let s = Session()
        try s.run("summary(dense(4, 3) >> dense(5, 2) >> relu)")
        XCTAssertEqual(s.printed.joined(separator: "\n"), """
        layer        output  params
        input        [n, 4]
        dense(4, 3)  [n, 3]      15
        dense(5, 2)  ?           12
        relu         ?            0
        total                    27
        """)
    }

    func testSummaryKeepsTheModelsMode() throws {
        let s = Session()
        try s.run("m = dense(2, 2) >> dropout(0.5)\nsummary(m)")
        XCTAssertEqual((s.interpreter.lookup("m").flatMap { v -> Dropout? in
            guard case .mapping(let m as Model) = v, let l = m.stages[1] as? LayerMapping else { return nil }
            return l.layer as? Dropout
        })?.training, true)
    }

    func testLayerArgumentErrorsArePositioned() throws {
        let s = Session()
        let e = s.error("m = dense(784)")
        XCTAssertEqual(e?.message, "dense() takes 2 to 4 arguments, got 1")
        let act = s.error("m = dense(2, 3, act=5)")
        XCTAssertEqual(act?.message, "dense(): 'act' must be an activation such as relu or any mapping (x -> tanh(x)), got a number")
        XCTAssertEqual(act?.range.start.column, 17)
        let stage = s.error("m = seq(relu, 3)")
        XCTAssertEqual(stage?.message, "seq(): stage 2 must be a mapping (a layer, activation or function), got a number")
        XCTAssertEqual(stage?.range.start.column, 15)
        let shape = s.error("y = dense(3, 2)(zeros(4, 5))")
        XCTAssertTrue(shape?.message.contains("cannot be multiplied by [3, 2]") ?? false, shape?.message ?? "")
    }
}
