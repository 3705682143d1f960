import Foundation
import MaplLang
import MaplNN
import MaplRichOutput

/// `mapl run FILE --mime DIR`: every output as the Jupyter kernel sends it, one file per mime type —
/// `DIR/3.txt`, `DIR/3.png`, `DIR/3.svg`, `DIR/3.html` for the third output — so the rich forms can be looked
/// at (or tested) without a notebook. A `fit` is one output: its live display as it ended.
struct MimeDump {
    var folder: String
    private var count = 0
    private var files: [(name: String, bytes: [UInt8])] = []
    private var fit = LiveFit()

    init(folder: String) { self.folder = folder }

    mutating func add(_ event: DisplayEvent) {
        if case .training(let t) = event {
            fit.add(t)
            if fit.isFinished { keep(fit.bundle); fit = LiveFit() }
            return
        }
        switch event {
        case .cellQueued, .cellStarted, .cellEnded, .action, .metric: return
        default: keep(MimeBundles.bundle(for: event))
        }
    }

    private mutating func keep(_ bundle: [String: String]) {
        guard !bundle.isEmpty else { return }
        count += 1
        for (mime, payload) in bundle.sorted(by: { $0.key < $1.key }) {
            switch mime {
            case "image/png": files.append(("\(count).png", Data(base64Encoded: payload).map { Array($0) } ?? []))
            case "image/svg+xml": files.append(("\(count).svg", Array(payload.utf8)))
            case "text/html": files.append(("\(count).html", Array(payload.utf8)))
            default: files.append(("\(count).txt", Array(payload.utf8)))
            }
        }
    }

    /// Makes the folder and writes the files.
    func write() throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for file in files { try Files.write(file.bytes, to: (folder as NSString).appendingPathComponent(file.name)) }
    }
}
