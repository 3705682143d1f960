import XCTest
import Foundation
import MaplTestSupport

/// `mapl run` gives the same bits whatever the thread count it is given (`OPENBLAS_NUM_THREADS`).
final class ThreadCountCLITests: XCTestCase {
    private var binary: URL {
        let bundle = Bundle(for: ThreadCountCLITests.self).bundleURL
        let products = bundle.pathExtension == "xctest" ? bundle.deletingLastPathComponent() : bundle
        return products.appendingPathComponent("mapl")
    }

    /// Runs `mapl run FILE` with `variables` added to the environment; the exit status and standard error.
    private func run(_ path: String, _ variables: [String: String]) throws -> (status: Int32, err: String) {
        let r = try Subprocess.run([binary.path, "run", path], environment: ProcessInfo.processInfo.environment.merging(variables) { $1 })
        return (r.status, r.error)
    }

    /// A CNN trained for one epoch with one thread and with two saves byte-identical weights. (Before, the
    /// variable handed products to OpenBLAS's own threads, and the weights differed by up to 1.9e-5.)
    func testOneAndTwoThreadsTrainTheSameWeights() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("threads-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        var outputs: [Data] = []
        for threads in ["1", "2"] {
            let weights = dir.appendingPathComponent("cnn-\(threads).safetensors").path
            let program = """
                seed(5)
                d = dataset(rand(192, 1, 28, 28), arange(192) % 10)
                model = conv2d(1, 8, 3, pad=1) >> relu >> maxpool2d(2) >> conv2d(8, 16, 3, pad=1) >> relu >> maxpool2d(2) >> flatten >> dense(784, 10)
                h = fit(model, d, epochs=1)
                save(model, "\(weights)")
                """
            let path = dir.appendingPathComponent("train-\(threads).mapl").path
            try program.write(toFile: path, atomically: true, encoding: .utf8)
            let r = try run(path, ["OPENBLAS_NUM_THREADS": threads])
            XCTAssertEqual(r.status, 0, r.err)
            outputs.append(try Data(contentsOf: URL(fileURLWithPath: weights)))
        }
        XCTAssertEqual(outputs[0].count, outputs[1].count)
        XCTAssertTrue(outputs[0] == outputs[1], "the weights trained on 1 and 2 threads differ")
    }
}
