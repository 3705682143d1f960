// The sequence and attention chapters' models as benchmarks: one training step (forward, loss, backward, Adam)
// timed in mapl and, with `--torch PYTHON`, the same model in PyTorch (bench/mnist/torch_sequences.py),
// in alternating rounds so both see the same machine.
import Foundation
import MaplNN

/// One benchmarked model: how to build it and its batches, and the PyTorch script's name for it.
struct SequenceCase {
    let name: String
    /// The argument torch_sequences.py takes for the same model.
    let torchName: String
    /// Builds the model and returns one training step (on the next of a few fixed batches).
    let make: () throws -> () throws -> Void
}

enum SequenceBench {
    static let batch = 64

    /// The chapter's LSTM on a sine-wave task: 32 samples of `sin(phase + t·freq)` (random phase and
    /// frequency per sequence) → the next sample; `lstm(1, 64)`, its last hidden state, `dense(64, 1)`,
    /// mean squared error, Adam 0.001.
    static let lstm = SequenceCase(name: "LSTM 1-64, seq 32, batch 64", torchName: "lstm") {
        Random.seed(21)
        let (time, hidden) = (32, 64)
        let layer = try LSTM(1, hidden), head = try Dense(hidden, 1)
        let optimizer = try Adam(layer.parameters + head.parameters, lr: 0.001)
        let batches = try (0..<8).map { _ -> (Tensor, Tensor) in
            var x = [Float](), y = [Float]()
            Random.with { g in
                for _ in 0..<batch {
                    let (phase, freq) = (g.nextFloat() * 6.2832, 0.1 + g.nextFloat() * 0.4)
                    for t in 0..<time { x.append(sin(phase + Float(t) * freq)) }
                    y.append(sin(phase + Float(time) * freq))
                }
            }
            return (try Tensor(shape: [batch, time, 1], scalars: x), try Tensor(shape: [batch, 1], scalars: y))
        }
        var next = 0
        return {
            let (x, y) = batches[next % batches.count]
            next += 1
            let states = try layer(Variable(x))
            let last = try Variable.index(states, [.all, .at(time - 1), .all])
            let loss = try Losses.mse(try head(last), y)
            optimizer.zeroGrad()
            try loss.backward()
            try optimizer.step()
        }
    }

    /// A self-attention block: `attention(64, heads=4)` on `[64, 64, 64]` (batch, sequence, width) normal
    /// inputs against normal targets, mean squared error, Adam 0.001.
    static let attention = SequenceCase(name: "attention d64 4 heads, seq 64, batch 64", torchName: "attention") {
        Random.seed(10)
        let (seq, width) = (64, 64)
        let block = try Attention(width, heads: 4)
        let optimizer = try Adam(block.parameters, lr: 0.001)
        let batches = try (0..<4).map { _ in (try Tensor.randn([batch, seq, width]), try Tensor.randn([batch, seq, width])) }
        var next = 0
        return {
            let (x, y) = batches[next % batches.count]
            next += 1
            let loss = try Losses.mse(try block(Variable(x)), y)
            optimizer.zeroGrad()
            try loss.backward()
            try optimizer.step()
        }
    }

    /// Seconds per step (wall clock and process CPU) over `steps` steps after `warmup`.
    static func measure(_ c: SequenceCase, steps: Int, warmup: Int) throws -> (wall: Double, cpu: Double) {
        let step = try c.make()
        for _ in 0..<warmup { try step() }
        let (wall, cpu) = (now(), cpuNow())
        for _ in 0..<steps { try step() }
        return ((now() - wall) / Double(steps), (cpuNow() - cpu) / Double(steps))
    }

    /// PyTorch's seconds per step for the same model, wall and process CPU (torch_sequences.py's JSON
    /// `{"step_seconds": s, "step_cpu_seconds": c}`).
    static func torch(_ python: String, _ c: SequenceCase, steps: Int, warmup: Int) -> (wall: Double, cpu: Double?)? {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("torch_sequences.py").path
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [python, path, c.torchName, String(steps), String(warmup)]
        let pipe = Pipe()
        p.standardOutput = pipe
        do { try p.run() } catch { print("pytorch \(c.torchName): cannot run \(python) (\(error))"); return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard let last = String(decoding: data, as: UTF8.self).split(separator: "\n").last,
              let json = try? JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any],
              let seconds = json["step_seconds"] as? Double else {
            print("pytorch \(c.torchName): no result"); return nil
        }
        return (seconds, json["step_cpu_seconds"] as? Double)
    }
}
