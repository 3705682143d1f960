import Foundation

/// Downloads with the `curl` tool in a subprocess. Chosen over URLSession because FoundationNetworking on
/// Linux pulls libcurl into every binary that links MaplNN, and its failure modes without a network are
/// harder to report; `curl` is on every system that has a network worth using, and when it is missing the
/// error says so.
enum Downloader {
    /// Fetches `url` to `destination`, reporting the bytes received about once a second. A stop request
    /// (`StopFlag.current`) ends curl and throws `Interrupted` within about 50 ms.
    static func fetch(_ url: String, to destination: String, progress: (String) -> Void) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["curl", "--fail", "--location", "--silent", "--show-error",
                             "--connect-timeout", "15", "--max-time", "900", "--output", destination, url]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw DataError("\(url): cannot start curl (\(error.localizedDescription))")
        }
        var lastReport = Date()
        while process.isRunning {
            Thread.sleep(forTimeInterval: 0.05)
            if let stop = StopFlag.current, stop.isRequested {
                process.terminate()
                process.waitUntilExit()
                throw Interrupted()
            }
            if Date().timeIntervalSince(lastReport) >= 1,
               let size = (try? FileManager.default.attributesOfItem(atPath: destination))?[.size] as? Int {
                progress(String(format: "  %.1f MB received", Double(size) / 1_000_000))
                lastReport = Date()
            }
        }
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        switch process.terminationStatus {
        case 0: return
        case 127: throw DataError("\(url): the curl tool is not installed")
        default: throw DataError("\(url): \(message.isEmpty ? "curl failed with status \(process.terminationStatus)" : message)")
        }
    }
}
