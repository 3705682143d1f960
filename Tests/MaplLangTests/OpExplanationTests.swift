import XCTest
import Foundation
@testable import MaplLang
import MaplEngine
import MaplNN

/// Every op carries its own teaching text: the stepper explains a node from the op's definition (`OpInfo`,
/// declared beside its forward and backward), so an op without one would show a backward step that does not
/// say how its gradient flows — and an op recorded without being catalogued would escape this check.
final class OpExplanationTests: XCTestCase {
    static let catalog = OpCatalog.engine + OpCatalog.nn

    func testEveryCataloguedOpStatesItsRuleAndHowItsGradientFlows() {
        XCTAssertGreaterThan(Self.catalog.count, 40)
        for op in Self.catalog {
            XCTAssertFalse(op.rule.isEmpty, "\(op.name) states no local derivative rule")
            XCTAssertTrue(op.explainsFlow, "\(op.name) does not say how its gradient flows to its operands")
        }
    }

    /// Every op recorded anywhere in the sources is declared as an op definition (a `static let …Op` or
    /// `static func …Op(`) and that definition is in the catalogue: an op written inline at its `record` call
    /// (`record(OpInfo("lstm", …), …)`) or left out of `OpCatalog` fails here.
    func testEveryOpRecordedInTheSourcesIsCatalogued() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources")
        let files = try swiftFiles(under: sources)
        XCTAssertGreaterThan(files.count, 50)
        let catalogText = try files.filter { ["OpCatalog.swift", "RecordedOps.swift"].contains($0.lastPathComponent) }
            .map { try String(contentsOf: $0, encoding: .utf8) }.joined()
        XCTAssertFalse(catalogText.isEmpty)
        let declaration = try NSRegularExpression(pattern: #"static (let|func) (\w+)"#)
        let construction = try NSRegularExpression(pattern: #"OpInfo(\.elementwise)?\("#)
        var declaredLets: [String] = [], declaredFuncs: [String] = [], letBodies = ""
        for file in files where file.lastPathComponent != "OpInfo.swift" {
            let lines = try String(contentsOf: file, encoding: .utf8).components(separatedBy: "\n")
            var current: (kind: String, name: String)? = nil
            for (n, line) in lines.enumerated() {
                let range = NSRange(line.startIndex..., in: line)
                if let m = declaration.firstMatch(in: line, range: range) {
                    let kind = String(line[Range(m.range(at: 1), in: line)!]), name = String(line[Range(m.range(at: 2), in: line)!])
                    current = (kind, name)
                    if name.hasSuffix("Op") {
                        if kind == "let" { declaredLets.append(name); letBodies += line } else { declaredFuncs.append(name) }
                    }
                }
                guard construction.firstMatch(in: line, range: range) != nil, !line.trimmingCharacters(in: .whitespaces).hasPrefix("///") else { continue }
                let inside = current?.name.hasSuffix("Op") ?? false
                XCTAssertTrue(inside, "\(file.lastPathComponent):\(n + 1): an op made inline — declare it as a `static let …Op` beside its forward and backward and add it to OpCatalog")
            }
        }
        XCTAssertGreaterThan(declaredLets.count, 40)
        for name in declaredLets {
            XCTAssertTrue(catalogText.contains("." + name), "\(name) is not in OpCatalog")
        }
        for name in declaredFuncs {
            XCTAssertTrue(catalogText.contains("." + name + "(") || letBodies.contains(name + "("), "\(name)(…) is not in OpCatalog")
        }
    }

    private func swiftFiles(under root: URL) throws -> [URL] {
        guard let walk = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return [] }
        return walk.compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }
    }

    /// The ops that had no explanation before their rules moved beside them, checked on numbers worked out
    /// by hand: ∂y/∂x per element at x = [0.5, −1, 2].
    func testNewlyExplainedElementwiseOpsShowTheirNumbers() throws {
        // leaky_relu(x, 0.1): 1 where x > 0, else 0.1. clip(x, −0.5, 1): 1 inside [−0.5, 1], else 0.
        // gelu: Φ(x) + x·φ(x) — Φ(0.5) = 0.691462, φ(0.5) = 0.352065 → 0.867495; Φ(−1) = 0.158655,
        // φ(−1) = 0.241971 → −0.083316; Φ(2) = 0.977250, φ(2) = 0.053991 → 1.085232 (math.erf, math.exp).
        let cases: [(String, String, [Float])] = [
            ("leaky_relu(p, 0.1)", "leaky_relu", [1, 0.1, 1]),
            ("clip(p, -0.5, 1)", "clip", [1, 0, 0]),
            ("gelu(p)", "gelu", [0.867495, -0.083316, 1.085232]),
        ]
        let s = ParsedSession()
        try s.run("p = param([0.5, -1, 2])")
        for (expression, op, expected) in cases {
            try s.run("l = sum(\(expression))")
            let trace = TraceSteps.build(try XCTUnwrap(s.variable("l")))
            let step = try XCTUnwrap(trace.backward.first { $0.op == op }, op)
            assertScalars(step.factor?.values, expected, accuracy: 1e-5)
            XCTAssertEqual(step.flows.first?.how, "upstream ⊙ rule", op)
            assertScalars(step.flows.first?.gradient, expected, accuracy: 1e-5)  // upstream is ones (from sum)
        }
    }

    /// Dropout's numbers are its mask: 1/(1−p) = 2 where kept, 0 where dropped, for p = 0.5.
    func testDropoutShowsItsMaskAsTheRuleWithNumbers() throws {
        let s = ParsedSession()
        try s.run("seed(7)\nd = dropout(0.5)\ntrain(d)\np = param([1, 2, 3, 4, 5, 6, 7, 8])\nl = sum(d(p) * [1, 1, 1, 1, 1, 1, 1, 1])")
        let trace = TraceSteps.build(try XCTUnwrap(s.variable("l")))
        let step = try XCTUnwrap(trace.backward.first { $0.op == "dropout" })
        let factor = try XCTUnwrap(step.factor?.values.scalars)
        XCTAssertEqual(factor.count, 8)
        XCTAssertTrue(factor.allSatisfy { $0 == 0 || $0 == 2 }, "\(factor)")
        XCTAssertTrue(factor.contains(0) && factor.contains(2), "\(factor)")
        // What reached p is upstream (ones) times the mask, and the forward kept p exactly where the mask is 2.
        assertScalars(step.flows.first?.gradient, factor)
        let y = try XCTUnwrap(trace.forward.first { $0.op == "dropout" }?.value.scalars)
        XCTAssertEqual(y, (1...8).map { Float($0) * factor[$0 - 1] })
    }

    /// An op's explanation goes with it under any name it is recorded with: a cross-entropy node explains
    /// its flow with the operand's own name.
    func testCrossEntropySaysHowItsGradientFlows() throws {
        let s = ParsedSession()
        try s.run("z = param([[0.5, -1, 2], [1.5, 0.25, -0.5]])\nl = cross_entropy(z, [2, 0])")
        let trace = TraceSteps.build(try XCTUnwrap(s.variable("l")))
        let step = try XCTUnwrap(trace.backward.first { $0.op == "cross_entropy" })
        XCTAssertEqual(step.flows.first?.how, "(softmax(z) − onehot(labels))·upstream/N")
        // softmax rows by hand (math.exp): row 0 e^[0.5, −1, 2] / 9.405657 = [0.175290, 0.039113, 0.785597];
        // row 1 e^[1.5, 0.25, −0.5] / 6.372245 = [0.703314, 0.201503, 0.095183]; minus onehot([2, 0]), over N = 2.
        assertScalars(step.flows.first?.gradient, [0.087645, 0.019556, -0.107201, -0.148343, 0.100751, 0.047592],
                      shape: [2, 3], accuracy: 1e-5)
    }
}
