import XCTest
@testable import MaplLang
import MaplNN

/// Models made with `>>`: their layers and parameters are the layers' own (shared), in-place updates reach
/// them, and any composition — lambdas and user functions included — trains through `fit`.
final class NNModelTests: XCTestCase {
    func testLayersAndParamsAreSharedWithTheModel() throws {
        let s = Session()
        try s.run("""
        m = dense(2, 2) >> relu >> dense(2, 1)
        m.layers[0].W = [[1, 0], [0, 1]]
        m.layers[0].b *= 0
        m.layers[2].W = [[1], [1]]
        m.layers[2].b[0] = 0.5
        W = m.layers[0].W
        W[0, 0] = 3
        y = m([[1, 2], [-1, -2]])
        n = len(m.params)
        k = len(m.layers)
        """)
        // relu([1, 2]·[[3, 0], [0, 1]]) = [3, 2] → 3 + 2 + 0.5;  relu([-3, -2]) = 0 → 0.5
        assertScalars(s.tensor("y"), [5.5, 0.5], shape: [2, 1])
        XCTAssertEqual(s.number("n"), 4)
        XCTAssertEqual(s.number("k"), 3)
        XCTAssertEqual(try s.echo("m"), "<model dense(2, 2) >> relu >> dense(2, 1)>")
    }

    func testCompositionsFlattenAndShareLayers() throws {
        let s = Session()
        try s.run("""
        a = dense(2, 2) >> relu
        b = a >> dense(2, 1)
        twice = a.layers[0] >> a.layers[0]
        nb = len(b.layers)
        nt = len(twice.params)
        b.layers[0].W[0, 0] = 42
        seen = item(a.layers[0].W[0, 0])
        """)
        XCTAssertEqual(s.number("nb"), 3)
        XCTAssertEqual(s.number("nt"), 2)           // one layer used twice has one set of weights
        XCTAssertEqual(s.number("seen"), 42)       // b's first layer is a's, not a copy
    }

    /// `fit` runs the lambda inside the model: with y = 6x + 2 and the stage `h -> 2h`, the dense layer must
    /// learn W = 3, b = 1 (W = 6 if the lambda were skipped).
    func testALambdaInsideAModelTrainsThroughFit() throws {
        let s = Session()
        try s.run("""
        seed(0)
        x = reshape(linspace(-1, 1, 32), 32, 1)
        d = dataset(x, 6 * x + 2)
        m = dense(1, 1) >> (h -> h * 2)
        h = fit(m, d, loss=mse, opt=sgd(m, lr=0.05), epochs=100, batch=8)
        W = m.layers[0].W
        b = m.layers[0].b
        """)
        assertScalars(s.tensor("W"), [3], accuracy: 1e-3)
        assertScalars(s.tensor("b"), [1], accuracy: 1e-3)
    }

    /// A user function as a stage, and a loss written as a lambda, both through fit.
    func testUserFunctionStagesAndLossesTrain() throws {
        let s = Session()
        try s.run("""
        seed(1)
        double(h) = h * 2
        x = reshape(linspace(-1, 1, 16), 16, 1)
        d = dataset(x, 4 * x)
        m = dense(1, 1, bias=false) >> double
        h = fit(m, d, loss=(p, t) -> mean((p - t)^2), opt=sgd(m, lr=0.1), epochs=60, batch=16)
        W = m.layers[0].W
        """)
        assertScalars(s.tensor("W"), [2], accuracy: 1e-3)
    }

    func testTrainAndEvalReachLayersInsideAModel() throws {
        let s = Session()
        try s.run("""
        seed(4)
        m = dense(4, 4) >> dropout(0.5)
        x = ones(1, 4)
        eval(m)
        same = close(m(x), m(x))
        train(m)
        differs = m.layers[1](ones(1, 100))
        """)
        XCTAssertEqual(try s.echo("same"), "true")
        XCTAssertTrue(s.tensor("differs")?.scalars.contains(0) ?? false)
    }

    /// fit, evaluate and predict leave the model in the mode the user chose.
    func testFitEvaluatePredictRestoreTheMode() throws {
        let s = Session()
        try s.run("""
        seed(5)
        d = spirals(10, 2)
        m = dense(2, 4) >> dropout(0.5) >> dense(4, 2)
        h = fit(m, d, epochs=1, batch=5)
        r = evaluate(m, d)
        p = predict(m, d.x)
        """)
        guard case .mapping(let m as Model)? = s.interpreter.lookup("m"), let drop = (m.stages[1] as? LayerMapping)?.layer as? Dropout else {
            return XCTFail("no model")
        }
        XCTAssertTrue(drop.training)
        XCTAssertEqual(s.interpreter.lookup("p")?.variable?.requiresGrad, false)
        try s.run("eval(m)\nh = fit(m, d, epochs=1, batch=5)")
        XCTAssertFalse(drop.training)
    }

    /// The adapter names a model's parameters as PyTorch's nn.Sequential does.
    func testModelLayerNamesParametersByStage() throws {
        let s = Session()
        try s.run("m = flatten >> dense(4, 3) >> relu >> (h -> h) >> dense(3, 2, bias=false)")
        guard case .mapping(let m)? = s.interpreter.lookup("m") else { return XCTFail() }
        let layer = ModelLayer.make(m, interpreter: s.interpreter)
        XCTAssertEqual(layer.namedParameters.map(\.name), ["layers.1.W", "layers.1.b", "layers.4.W"])
        XCTAssertEqual(layer.children.map(\.kind), ["flatten", "dense", "relu", "(h -> …)", "dense"])
    }
}
