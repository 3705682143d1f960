import Foundation
import MaplProtocol
import MaplRender

/// The live line of a running `fit`, fitted to a width:
///
///     epoch 4/5 ███████████░░░░ 703/938  loss 0.071  acc 0.976  41k samples/s  ETA 0:03
///
/// When the width is short samples/s goes first, then the bar narrows and goes, then the ETA and the
/// accuracy; the epoch, the batch and the loss stay.
public enum ProgressLine {
    public static func text(_ p: BatchProgress, width: Int, ascii: Bool = false) -> String {
        let epoch = "epoch \(p.epoch)/\(p.epochs)"
        let batches = "\(p.batch)/\(p.batchesPerEpoch)"
        let loss = "loss " + number(p.loss)
        let accuracy = p.accuracy.map { "acc " + String(format: "%.3f", $0) }
        let rate = p.samplesPerSecond > 0 ? rateText(p.samplesPerSecond) + " samples/s" : nil
        let eta = "ETA " + duration(p.eta)
        let fraction = p.batchesPerEpoch > 0 ? Double(p.batch) / Double(p.batchesPerEpoch) : 0

        func line(bar: Int?, accuracy: String?, rate: String?, eta: String?) -> String {
            var parts = [epoch]
            if let bar { parts.append(self.bar(fraction, width: bar, ascii: ascii)) }
            var tail = [batches, loss]
            if let accuracy { tail.append(accuracy) }
            if let rate { tail.append(rate) }
            if let eta { tail.append(eta) }
            return parts.joined(separator: " ") + " " + tail.joined(separator: "  ")
        }
        let attempts: [String] = [
            line(bar: 15, accuracy: accuracy, rate: rate, eta: eta),
            line(bar: 10, accuracy: accuracy, rate: rate, eta: eta),
            line(bar: 10, accuracy: accuracy, rate: nil, eta: eta),
            line(bar: 5, accuracy: accuracy, rate: nil, eta: eta),
            line(bar: nil, accuracy: accuracy, rate: nil, eta: eta),
            line(bar: nil, accuracy: accuracy, rate: nil, eta: nil),
            line(bar: nil, accuracy: nil, rate: nil, eta: nil),
        ]
        return attempts.first { DisplayWidth.of($0) <= width } ?? attempts[attempts.count - 1]
    }

    /// A bar `width` cells long, filled to `fraction` in eighths (`#` and `.` in ASCII).
    static func bar(_ fraction: Double, width: Int, ascii: Bool) -> String {
        let f = fraction.isFinite ? Swift.min(Swift.max(fraction, 0), 1) : 0
        if ascii {
            let full = Int((f * Double(width)).rounded(.down))
            return String(repeating: "#", count: full) + String(repeating: ".", count: width - full)
        }
        let eighths = Int((f * Double(width * 8)).rounded(.down))
        let partials = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]
        var s = String(repeating: "█", count: eighths / 8)
        var used = eighths / 8
        if used < width, eighths % 8 > 0 { s += partials[eighths % 8]; used += 1 }
        return s + String(repeating: "░", count: width - used)
    }

    /// A loss: three decimals, or scientific when smaller than 0.01 (so it never reads 0.000).
    static func number(_ x: Double) -> String {
        guard x.isFinite else { return x.isNaN ? "nan" : (x > 0 ? "inf" : "-inf") }
        return abs(x) >= 0.01 || x == 0 ? String(format: "%.3f", x) : String(format: "%.2e", x)
    }

    /// `950`, `41k`, `1.2M`.
    static func rateText(_ r: Double) -> String {
        guard r.isFinite else { return "?" }
        if r < 1000 { return String(format: "%.0f", r) }
        if r < 1e6 { return String(format: "%.0fk", r / 1000) }
        return String(format: "%.1fM", r / 1e6)
    }

    /// `0:03`, `12:40`, `2:05:00`.
    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "?" }
        let s = Int(Swift.min(seconds.rounded(), 359_999_999))
        if s >= 3600 { return String(format: "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60) }
        return String(format: "%d:%02d", s / 60, s % 60)
    }
}
