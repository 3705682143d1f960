import XCTest
import Foundation

/// Journals through the executable: `mapl run --json` writes one, `mapl journal` prints it and
/// `mapl replay --rerun-check` re-executes it.
extension CLITests {
    /// A written journal as a file next to the test's others.
    func journalFile(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID().uuidString).jsonl").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    /// A seeded 3-epoch fit, run with --json and rerun: every loss reads back as the double it was, so the check
    /// passes; a copy with one printed number changed fails, naming the cell and both values.
    func testRerunCheckOfATrainedSessionPassesAndADoctoredCopyFails() throws {
        let program = try file("""
            seed(7)
            m = dense(2, 8) >> tanh >> dense(8, 2)
            d = spirals(24, 2)
            h = fit(m, d, epochs=3, batch=8)
            print(h.loss)
            """)
        let run = try mapl(["run", "--json", program])
        XCTAssertEqual(run.status, 0, run.err)
        XCTAssertTrue(run.out.contains("\"event\":\"batch\""))
        let journal = try journalFile(run.out)
        let passed = try mapl(["replay", journal, "--rerun-check"])
        XCTAssertEqual(passed.status, 0, passed.out + passed.err)
        XCTAssertTrue(passed.out.contains("1 cells, every output the same"), passed.out)

        guard let printed = run.out.range(of: #"\{"event":"text","text":"tensor\(\[\d\.\d+"#, options: .regularExpression) else {
            return XCTFail("no printed loss in \(run.out)")
        }
        let original = String(run.out[printed]), changed = String(original.dropLast()) + (original.hasSuffix("9") ? "8" : "9")
        let doctored = try journalFile(run.out.replacingCharacters(in: printed, with: changed))
        let failed = try mapl(["replay", doctored, "--rerun-check"])
        XCTAssertEqual(failed.status, 1, failed.out + failed.err)
        XCTAssertTrue(failed.out.contains("cell 1 (seed(7)) differs"), failed.out)
    }
}
