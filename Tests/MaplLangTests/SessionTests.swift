import Foundation
import XCTest
@testable import MaplLang
import MaplNN

/// Every curated session in sessions/*.mapl runs to its end with all its asserts passing. A failed `assert`
/// is an error, so a session that runs through has checked everything it claims.
///
/// The MNIST sessions need the real files: they run when `$MAPL_DATA` (or the development machine's shared
/// copy) holds them and are skipped otherwise — a test never downloads. Sessions that take minutes in a
/// debug build (the CNN, over 2 minutes) run only with `MAPL_SLOW_TESTS=1`; CI runs the sessions in a release build.
final class SessionTests: XCTestCase {
    static let sessions = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("sessions")

    /// Runs one session file in a fresh interpreter; returns what it printed.
    @discardableResult
    func run(_ file: String, slow: Bool = false, mnist: Bool = false) throws -> [String] {
        if slow && ProcessInfo.processInfo.environment["MAPL_SLOW_TESTS"] != "1" {
            throw XCTSkip("\(file) takes minutes in a debug build; set MAPL_SLOW_TESTS=1 to run it")
        }
        if mnist { try SessionTests.requireMNIST() }
        let path = SessionTests.sessions.appendingPathComponent(file).path
        let source = try String(contentsOfFile: path, encoding: .utf8)
        let s = Session()
        SessionTests.addSeeingStandIns(s.interpreter)
        let started = Date()
        do {
            try s.interpreter.run(try Parser.parse(source))
        } catch let e as MaplError {
            XCTFail(e.render(source: source, file: file) + "\n--- printed:\n" + s.printed.joined(separator: "\n"))
        }
        print("\(file): \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
        if ProcessInfo.processInfo.environment["MAPL_SESSION_ECHO"] == "1" { print(s.printed.joined(separator: "\n")) }
        return s.printed
    }

    /// Until the "Seeing" builtins land, `show`, `plot`, `hist`, `heatmap`, `graph` and `trace` are no-ops
    /// here (only when the registry lacks them), so the sessions can run.
    static func addSeeingStandIns(_ interpreter: Interpreter) {
        for name in ["show", "plot", "hist", "heatmap", "graph", "trace"] where interpreter.registry[name] == nil {
            if let b = try? Builtin("\(name)(args...)", category: "test", help: "stand-in", { _ in .none }) {
                interpreter.define(name, .mapping(BuiltinFunction(b)))
            }
        }
    }

    /// Skips unless a local copy of MNIST exists; points `$MAPL_DATA` at the shared copy when only that exists.
    static func requireMNIST() throws {
        let env = ProcessInfo.processInfo.environment
        let fm = FileManager.default
        for candidate in [env["MAPL_DATA"], "/work/shared/data"].compactMap({ $0 }) {
            for dir in [candidate, candidate + "/mnist"] {
                let files = ["train-images-idx3-ubyte", "t10k-images-idx3-ubyte"]
                if files.allSatisfy({ fm.fileExists(atPath: "\(dir)/\($0)") || fm.fileExists(atPath: "\(dir)/\($0).gz") }) {
                    if env["MAPL_DATA"] == nil { setenv("MAPL_DATA", candidate, 1) }
                    return
                }
            }
        }
        throw XCTSkip("MNIST files not available (set MAPL_DATA)")
    }

    func test01Neuron() throws { try run("01-neuron.mapl") }
    func test02Regression() throws { try run("02-regression.mapl") }
    func test03WorkedExample() throws { try run("03-worked-example.mapl") }
    func test04XOR() throws { try run("04-xor.mapl") }
    func test05MNISTMLP() throws { try run("05-mnist-mlp.mapl", mnist: true) }       // ≈ 45 s in debug
    func test06Optimizers() throws { try run("06-optimizers.mapl") }
    func test07Regularization() throws { try run("07-regularization.mapl") }
    func test08CNN() throws { try run("08-cnn.mapl", slow: true, mnist: true) }      // ≈ 190 s in debug
    func test09Sequences() throws { try run("09-sequences.mapl") }
    func test10Attention() throws { try run("10-attention.mapl") }
    func testDemo() throws { try run("demo.mapl") }
}
