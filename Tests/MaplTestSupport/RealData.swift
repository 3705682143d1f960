import Foundation
import XCTest
import MaplNN

/// The real data sets tests read, found the way users' sessions find them — through `MAPL_DATA`, never a
/// path written into a test — and the rule for when they are missing: a developer's machine without them
/// skips those tests, but a CI run (`CI=true`), where `.ci/run` provides them, fails instead, so a broken
/// install cannot pass as a row of skips.
public enum RealData {
    /// Thrown instead of `XCTSkip` under CI: any other error fails the test.
    public struct Missing: Error, CustomStringConvertible {
        public let description: String
    }

    /// Whether this is a CI run (the environment says `CI=true`, as CI systems set it).
    public static var isCI: Bool { ProcessInfo.processInfo.environment["CI"]?.lowercased() == "true" }

    /// Skips the test for lack of `what` — or, under CI, fails it.
    public static func unavailable(_ what: String) throws -> Never {
        if isCI { throw Missing(description: "\(what) (CI=true: it must be installed, so this is a failure, not a skip)") }
        throw XCTSkip(what)
    }

    /// `$MAPL_DATA` when the MNIST files are in it (or in its `mnist/` folder, as the loader looks).
    public static func mnistData() throws -> String {
        guard let data = ProcessInfo.processInfo.environment["MAPL_DATA"], !data.isEmpty else {
            try unavailable("MNIST not available: set MAPL_DATA to the folder holding it")
        }
        let found = [data, data + "/mnist"].contains { dir in
            ["t10k-labels-idx1-ubyte.gz", "t10k-labels-idx1-ubyte"].contains { Files.exists(dir + "/" + $0) }
        }
        guard found else { try unavailable("MNIST not found in MAPL_DATA=\(data) (nor in its mnist/ folder)") }
        return data
    }
}
