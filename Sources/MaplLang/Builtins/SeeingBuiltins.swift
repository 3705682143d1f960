import Foundation
import MaplNN

/// show, plot, hist, heatmap, graph, trace: each emits its picture as data (a `DisplayEvent`) for the front
/// end to draw at its own size — `mapl run` as text, the notebook in its pane. Each returns none.
extension BuiltinRegistry {
    func registerSeeingBuiltins() {
        let c = "seeing"
        register("show(x, i=none, model=none)", category: c, "draws an image tensor (28×28, 784 or [1, 28, 28]) in grey; show(d, i) draws sample i of a dataset with its label; show(d, i, model=m) adds m's predicted probabilities for it (softmax of its scores) as bars; show(d, 0..15), show(d[0:16]) or show(d, errors(m, d), model=m) draws several samples as a grid, each with its label (and prediction) under it") { a in
            if let indices = try Seeing.indexList(a) ?? Seeing.wholeDataset(a) {
                a.interpreter.emit(.image(try Seeing.sheet(indices, a)))
                return .none
            }
            let (pixels, caption, label) = try Seeing.image(a)
            let layout = try ImageLayout(pixels)
            let probabilities = a.isNone("model") ? nil : try Seeing.probabilities(of: pixels, a)
            a.interpreter.emit(.image(layout.data(caption: caption, label: label, probabilities: probabilities)))
            return .none
        }
        register("plot(a, b=none, labels=none)", category: c, "line plot: plot(ys), plot(xs, ys), or several series plot([ys1, ys2]) with a legend") { a in
            let xs: [Double]?
            let ys: [[Double]]
            if a.isNone("b") {
                xs = nil; ys = try Seeing.series(a.value("a"), a, "a")
            } else {
                xs = try Seeing.numbers(a.value("a"), a, "a")
                ys = try Seeing.series(a.value("b"), a, "b")
            }
            var names = ys.indices.map { "\($0 + 1)" }
            if !a.isNone("labels") {
                let given = try a.list("labels").map { v -> String in
                    if case .string(let s) = v { return s }
                    throw a.error("labels", "labels must be strings, got \(v.kindWithArticle)")
                }
                guard given.count == ys.count else {
                    throw a.error("labels", "\(given.count) labels for \(ys.count) series")
                }
                names = given
            }
            var series: [PlotData.Series] = []
            for (k, y) in ys.enumerated() {
                if let xs {
                    guard xs.count == y.count else {
                        throw a.error("b", "xs has \(xs.count) values but series \(k + 1) has \(y.count)")
                    }
                    series.append(.init(name: names[k], xs: xs, ys: y))
                } else {
                    series.append(.init(name: names[k], xs: y.indices.map { Double($0 + 1) }, ys: y))
                }
            }
            a.interpreter.emit(.plot(PlotData(series: series)))
            return .none
        }
        register("compare(runs..., names=none)", category: c, "overlays the loss curves of several fit histories in one plot (the loss pane in the notebook): each run's batch loss smoothed and its validation loss per epoch, named by names=[...] or run 1, run 2, …") { a in
            let runs = try a.list("runs")
            guard !runs.isEmpty else { throw a.error("runs", "compare needs at least one fit history: compare(h1, h2)") }
            var names = runs.indices.map { "run \($0 + 1)" }
            if !a.isNone("names") {
                let given = try a.list("names").map { v -> String in
                    if case .string(let s) = v { return s }
                    throw a.error("names", "names must be strings, got \(v.kindWithArticle)")
                }
                guard given.count == runs.count else { throw a.error("names", "\(given.count) names for \(runs.count) runs") }
                names = given
            }
            var series: [PlotData.Series] = []
            for (k, run) in runs.enumerated() {
                series += try Seeing.curves(of: run, name: names[k], a)
            }
            a.interpreter.emit(.plot(PlotData(series: series, title: "compare: " + names.joined(separator: ", "), xLabel: "epoch")))
            return .none
        }
        register("hist(x..., bins=20, names=none)", category: c, "a histogram of a tensor's values in `bins` equal-width bins (hist(x, 30) or hist(x, bins=30)); hist(a, b) draws a and b on the same bins, count scale and axis, one under the other (before and after), titled by names=[\"before\", \"after\"] or a, b") { a in
            var items = try a.list("x")
            var bins = try a.int("bins")
            // hist(x, 30): a trailing number is the bins, as it was before hist took several tensors.
            if items.count >= 2, case .number = items[items.count - 1], !a.given("bins") {
                bins = try Convert.int(items.removeLast(), argument: a.position("x"), what: "hist(): bins")
            }
            guard (1...200).contains(bins) else { throw a.error("bins", "bins must be between 1 and 200, got \(bins)") }
            guard !items.isEmpty else { throw a.error("x", "hist needs a tensor: hist(x)") }
            guard items.count <= 6 else { throw a.error("x", "hist compares at most 6 tensors, got \(items.count)") }
            let tensors = try items.map { try Convert.tensor($0, argument: a.position("x"), what: "hist(): x").scalars }
            if tensors.count == 1 {
                a.interpreter.emit(.histogram(HistogramData(binning: tensors[0], bins: bins)))
                return .none
            }
            var names = tensors.indices.map { String(UnicodeScalar(UInt8(97 + $0))) }
            if !a.isNone("names") {
                let given = try a.list("names").map { v -> String in
                    if case .string(let s) = v { return s }
                    throw a.error("names", "names must be strings, got \(v.kindWithArticle)")
                }
                guard given.count == tensors.count else { throw a.error("names", "\(given.count) names for \(tensors.count) tensors") }
                names = given
            }
            a.interpreter.emit(.histogram(HistogramData(comparing: tensors, bins: bins, titles: names)))
            return .none
        }
        register("heatmap(W)", category: c, "draws a matrix as grey levels (dark = small, light = large) with its range") { a in
            a.interpreter.emit(.heatmap(HeatmapData(try a.tensor("W"))))
            return .none
        }
        register("graph(x)", category: c, "draws the computation graph behind a tensor, from it down to the leaves") { a in
            a.interpreter.emit(.graph(GraphData(try Seeing.variable(a, "x"))))
            return .none
        }
        register("trace(x, quiz=false)", category: c, "steps through the forward and then the backward pass behind a scalar, node by node: values, gradients and each op's local rule; quiz=true hides each answer in the notebook's stepper until r") { a in
            let interp = a.interpreter
            let quiz = try a.bool("quiz")
            let steps = TraceSteps.build(try Seeing.variable(a, "x"), printer: interp.printer)
            interp.emit(.trace(TraceData(steps: steps, precision: interp.printer.precision, showLimit: interp.printer.showLimit, quiz: quiz)))
            return .none
        }
        register("report(value, name=\"loss\", step=none)", category: c, "reports a number from a hand-written training loop (report(loss) each batch): the notebook plots it live in its loss pane; mapl run --json streams it; steps count 1, 2, 3, … per name unless given") { a in
            let interp = a.interpreter
            let name = try a.string("name")
            let x: Double
            switch a.value("value") {
            case .tensor(let t) where t.value.count == 1: x = Double(t.value.scalars[0])
            case .tensor(let t): throw a.error("value", "report takes one number; got a tensor of shape \(shapeString(t.shape)) (report(mean(x)) reports its mean)")
            default: x = try a.double("value")
            }
            let step = a.isNone("step") ? (interp.metricSteps[name] ?? 0) + 1 : try a.double("step")
            interp.metricSteps[name] = step
            interp.emit(.metric(MetricData(name: name, value: x, step: step)))
            return .none
        }
    }
}

/// Argument handling shared by the seeing builtins.
enum Seeing {
    /// A fit history's curves for `compare`: its batch loss smoothed (x in epochs) — or its per-epoch loss when
    /// it has no batch losses — and its validation loss per epoch.
    static func curves(of run: Value, name: String, _ a: Arguments) throws -> [PlotData.Series] {
        let record: Record
        switch run {
        case .record(let r) where r.kind == .history: record = r
        case .object(let h as LiveHistory): record = h.record
        default: throw a.error("runs", "compare takes the histories fit returns (h = fit(...)), got \(run.kindWithArticle)")
        }
        func values(_ field: String) -> [Double] { record[field]?.variable?.value.scalars.map(Double.init) ?? [] }
        let loss = values("loss"), batches = values("batch_loss"), val = values("val_loss")
        var out: [PlotData.Series] = []
        if !batches.isEmpty, !loss.isEmpty {
            let perEpoch = Double(batches.count) / Double(loss.count)
            out.append(.init(name: name, xs: batches.indices.map { Double($0 + 1) / perEpoch }, ys: LinePlot.smoothed(batches)))
        } else if !loss.isEmpty {
            out.append(.init(name: name, xs: loss.indices.map { Double($0 + 1) }, ys: loss))
        }
        if !val.isEmpty { out.append(.init(name: name + " val", xs: val.indices.map { Double($0 + 1) }, ys: val)) }
        return out
    }

    /// A tensor argument's variable (its graph included); other kinds are an error naming the argument.
    static func variable(_ a: Arguments, _ name: String) throws -> Variable {
        guard case .tensor(let v) = a.value(name) else {
            throw a.error(name, "expects a tensor, got \(Convert.describeKind(a.value(name)))")
        }
        return v
    }

    /// The most images one `show` draws as a grid (what a journal may hold).
    static let sheetLimit = ImageData.sheetLimit

    /// `i` when it is several indices (a list such as `0..15` or `errors(m, d)`, or a 1-D tensor); nil for one.
    static func indexList(_ a: Arguments) throws -> [Int]? {
        switch a.value("i") {
        case .list: return try a.intList("i")
        case .tensor(let t) where t.rank == 1: return try a.intList("i")
        default: return nil
        }
    }

    /// Every sample of a dataset shown without an index (`show(d[0:16])`), when there are few enough to draw;
    /// nil for anything else.
    static func wholeDataset(_ a: Arguments) throws -> [Int]? {
        guard a.isNone("i") else { return nil }
        let source: ImageSampleSource
        switch a.value("x") {
        case .object(let o as ImageSampleSource): source = o
        case .mapping(let m as ImageSampleSource): source = m
        default: return nil
        }
        guard source.sampleCount <= sheetLimit else {
            throw a.error("x", "show(d) draws a dataset of at most \(sheetLimit) samples whole, this one has \(source.sampleCount): show(d[0:16]), show(d, 0..15) or show(d, i)")
        }
        return Array(0..<source.sampleCount)
    }

    /// Several images as one `show` event: each drawn as `show(x, j)` would draw it (with its label, and its
    /// prediction when a model is given), the first carrying the rest in its `sheet`.
    static func sheet(_ indices: [Int], _ a: Arguments) throws -> ImageData {
        guard !indices.isEmpty else { throw a.error("i", "no indices to show (an empty list: nothing was misclassified?)") }
        guard indices.count <= sheetLimit else {
            throw a.error("i", "\(indices.count) images are too many to draw at once; show at most \(sheetLimit) (e.g. the first: i[0:\(sheetLimit)])")
        }
        let images = try indices.map { j -> ImageData in
            let (pixels, caption, label) = try image(a, index: j)
            let probabilities = a.isNone("model") ? nil : try probabilities(of: pixels, a)
            return try ImageLayout(pixels).data(caption: caption, label: label, probabilities: probabilities)
        }
        var first = images[0]
        let shown = indices.count == 1 ? "sample \(indices[0])" : "\(indices.count) samples (\(indices.prefix(4).map(String.init).joined(separator: ", "))\(indices.count > 4 ? ", …" : ""))"
        first.caption = shown
        first.sheet = images
        return first
    }

    /// What `show` draws and the caption above it: a tensor, one row of a tensor (`show(x, 3)`), a dataset's
    /// sample (`show(d, 7)`), or a record with `x` (and `y`) as `d[i]` gives.
    static func image(_ a: Arguments, index given: Int? = nil) throws -> (pixels: Tensor, caption: String?, label: String?) {
        let x = a.value("x")
        let index = try given ?? a.optionalInt("i")
        switch x {
        case .object(let o as ImageSampleSource): return try sample(o, index, a)
        case .mapping(let m as ImageSampleSource): return try sample(m, index, a)
        case .record(let r):
            guard let pixels = r["x"] else { throw a.error("x", "show draws a record's field x, but this record has none") }
            let t = try Convert.tensor(pixels, argument: .positional(0), what: "show(): the record's x")
            let text = r["y"].map { label($0, a.interpreter.printer) }
            return (t, text.map { "label " + $0 }, text)
        case .tensor(let v):
            guard let i = index else { return (v.value, nil, nil) }
            guard v.rank >= 1 else { throw a.error("i", "a scalar has no images to pick from") }
            let n = v.shape[0]
            let j = i < 0 ? i + n : i
            guard j >= 0 && j < n else { throw a.error("i", "index \(i) is out of range for \(n) images") }
            return (try v.value.indexed([.at(j)]), "image \(j)", nil)
        default:
            throw a.error("x", "show draws an image tensor or a dataset's sample, got \(Convert.describeKind(x))")
        }
    }

    private static func sample(_ source: ImageSampleSource, _ index: Int?, _ a: Arguments) throws -> (pixels: Tensor, caption: String?, label: String?) {
        guard let i = index else { throw a.error("x", "show(d, i) needs the index of the sample to draw") }
        let n = source.sampleCount
        let j = i < 0 ? i + n : i
        guard j >= 0 && j < n else { throw a.error("i", "index \(i) is out of range for a dataset of \(n) samples") }
        let s = try source.imageSample(j)
        return (s.pixels, "sample \(j)   label \(s.label)", s.label)
    }

    /// What the model given as `model` predicts for one image: it runs on the image as a batch of one, in
    /// evaluation mode without gradients; scores become probabilities by softmax, unless they already are
    /// (every score in [0, 1], summing to 1 — a model ending in softmax). One output is a sigmoid's
    /// probability of class 1 (a logit outside [0, 1] goes through the sigmoid first).
    static func probabilities(of image: Tensor, _ a: Arguments) throws -> [Double] {
        let model = try a.layer("model")
        let input = try image.reshaped([1] + image.shape)
        let output = try a.inference(model) { try model(Variable(input)).value }
        let scores = output.scalars.map(Double.init)
        guard !scores.isEmpty else { throw a.error("model", "the model gave an empty output for the image, so there is nothing to show") }
        guard output.rank <= 1 || output.shape[0] == 1 else {
            throw a.error("model", "the model gave \(shapeString(output.shape)) for one image; show needs one row of class scores")
        }
        return Seeing.probabilities(scores)
    }

    /// Class probabilities from one row of scores (see `probabilities(of:_:)`).
    static func probabilities(_ scores: [Double]) -> [Double] {
        if scores.count == 1 {
            let z = scores[0]
            let p = (0...1).contains(z) ? z : 1 / (1 + Foundation.exp(-z))
            return [1 - p, p]
        }
        let sum = scores.reduce(0, +)
        if scores.allSatisfy({ (0...1).contains($0) }) && abs(sum - 1) < 1e-4 { return scores }
        // As NumPy's softmax: a NaN score makes every probability NaN, infinite scores share the mass.
        if scores.contains(where: \.isNaN) { return scores.map { _ in .nan } }
        let top = scores.max() ?? 0
        if top == .infinity {
            let n = Double(scores.filter { $0 == .infinity }.count)
            return scores.map { $0 == .infinity ? 1 / n : 0 }
        }
        guard top.isFinite else { return scores.map { _ in .nan } }
        let e = scores.map { Foundation.exp($0 - top) }
        let total = e.reduce(0, +)
        return e.map { $0 / total }
    }

    /// A label as text: whole numbers plainly (`9`), anything else as the printer's compact form.
    static func label(_ v: Value, _ printer: Printer) -> String {
        if case .tensor(let t) = v, t.value.count == 1 { return Printer.formatNumber(Double(t.value.scalars[0])) }
        if case .tensor(let t) = v { return printer.compact(t.value) }
        return printer.text(v)
    }

    /// One series of numbers: a number list, a 1-D tensor, or a 2-D tensor with a single row or column.
    static func numbers(_ v: Value, _ a: Arguments, _ name: String) throws -> [Double] {
        switch v {
        case .number(let x): return [x]
        case .list(let items):
            return try items.map { item in
                if case .number(let x) = item { return x }
                if case .tensor(let t) = item, t.value.count == 1 { return Double(t.value.scalars[0]) }
                throw a.error(name, "a series holds numbers, got \(Convert.describeKind(item))")
            }
        case .tensor(let t) where t.rank <= 1 || (t.rank == 2 && (t.shape[0] == 1 || t.shape[1] == 1)):
            return t.value.scalars.map(Double.init)
        default:
            throw a.error(name, "expects numbers (a list or a 1-D tensor), got \(Convert.describeKind(v))")
        }
    }

    /// One or more series: a list of series, a 2-D tensor (one series per row, which is what `[ys1, ys2]`
    /// of equal lengths makes), or a single series.
    static func series(_ v: Value, _ a: Arguments, _ name: String) throws -> [[Double]] {
        switch v {
        case .list(let items) where items.contains(where: { if case .number = $0 { return false }; if case .tensor(let t) = $0, t.value.count == 1 { return false }; return true }):
            guard !items.isEmpty else { return [[]] }
            return try items.map { try numbers($0, a, name) }
        case .tensor(let t) where t.rank == 2 && t.shape[0] > 1 && t.shape[1] > 1:
            let w = t.shape[1]
            return (0..<t.shape[0]).map { r in t.value.scalars[(r * w)..<((r + 1) * w)].map(Double.init) }
        default:
            return [try numbers(v, a, name)]
        }
    }
}
