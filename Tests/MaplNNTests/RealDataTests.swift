import XCTest
import MaplTestSupport

/// The rule for tests whose data is missing: skipped on a developer's machine, failed under CI=true.
final class RealDataTests: XCTestCase {
    private func set(_ name: String, _ value: String?) {
        if let value { setenv(name, value, 1) } else { unsetenv(name) }
    }

    private func error(ci: String?, data: String?) -> Error? {
        set("CI", ci)
        set("MAPL_DATA", data)
        do { _ = try RealData.mnistData(); return nil } catch { return error }
    }

    func testMissingDataSkipsOutsideCIAndFailsInside() throws {
        let saved = (ProcessInfo.processInfo.environment["CI"], ProcessInfo.processInfo.environment["MAPL_DATA"])
        defer { set("CI", saved.0); set("MAPL_DATA", saved.1) }
        let outside = error(ci: nil, data: "/nonexistent")
        XCTAssertTrue(outside is XCTSkip, "\(String(describing: outside))")
        let inside = error(ci: "true", data: "/nonexistent")
        XCTAssertFalse(inside is XCTSkip)
        XCTAssertEqual(inside.map { "\($0)" }, "MNIST not found in MAPL_DATA=/nonexistent (nor in its mnist/ folder) (CI=true: it must be installed, so this is a failure, not a skip)")
        XCTAssertEqual(error(ci: "true", data: nil).map { "\($0)" }, "MNIST not available: set MAPL_DATA to the folder holding it (CI=true: it must be installed, so this is a failure, not a skip)")
    }
}
