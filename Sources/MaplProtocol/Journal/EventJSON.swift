import Foundation
import MaplCore

/// The event stream as newline-delimited JSON: `mapl run --json` writes it, the notebook's journal is it.
/// One object per line: first a header (`{"mapl":"events","version":1,…}`), then one event per line with
/// its kind (`EventKind`) in `"event"`. The schema is in docs/events.md; `EventJSON.decode` reads it back.
public enum EventJSON {
    /// The format version in the header; readers accept this one and older.
    public static let version = 1

    /// The header line: format, version, when and what.
    public static func header(source: String?, created: Date = Date()) -> String {
        var w = JSONWriter()
        w.beginObject()
        w.key("mapl"); w.string("events")
        w.key("version"); w.int(version)
        w.key("created"); w.string(ISO8601DateFormatter().string(from: created))
        w.key("source"); w.string(source)
        w.endObject()
        return w.text
    }

    /// One event as one line of JSON (no newline).
    public static func encode(_ event: DisplayEvent) -> String {
        var w = JSONWriter()
        w.beginObject()
        w.key("event"); w.string(event.kind.rawValue)
        switch event {
        case .cellQueued(let c), .cellStarted(let c):
            w.key("cell"); w.int(c.number)
            w.key("source"); w.string(c.source)
            w.key("origin"); w.string(c.origin)
            w.key("firstLine"); w.int(c.firstLine)
        case .text(let s):
            w.key("text"); w.string(s)
        case .value(let v):
            w.key("printed"); w.string(v.printed)
            w.key("value"); value(v.value, &w)
            // The grid's recipe: its cells are the value's own numbers, laid out as `MatrixGrid` lays them out.
            w.key("grid")
            if let g = v.grid {
                w.beginObject()
                w.key("heading"); w.string(g.heading)
                w.key("precision"); w.int(g.grid.precision)
                w.key("maxRows"); w.int(g.grid.maxRows == .max ? nil : g.grid.maxRows)
                w.endObject()
            } else { w.null() }
        case .plot(let p):
            w.key("title"); w.string(p.title)
            w.key("xLabel"); w.string(p.xLabel)
            w.key("series"); w.beginArray()
            for s in p.series {
                w.beginObject()
                w.key("name"); w.string(s.name)
                w.key("xs"); w.doubles(s.xs)
                w.key("ys"); w.doubles(s.ys)
                w.endObject()
            }
            w.endArray()
        case .histogram(let h): histogram(h, &w)
        case .image(let i): image(i, &w)
        case .heatmap(let h):
            w.key("rows"); w.int(h.rows)
            w.key("columns"); w.int(h.columns)
            w.key("values"); w.floats(h.values)
            w.key("sourceRows"); w.int(h.sourceRows)
            w.key("sourceColumns"); w.int(h.sourceColumns)
            w.key("min"); w.float(h.min)
            w.key("max"); w.float(h.max)
            w.key("note"); w.string(h.note)
        case .graph(let g):
            w.key("root"); w.int(g.root)
            w.key("totalNodes"); w.int(g.totalNodes)
            w.key("truncated"); w.bool(g.truncated)
            w.key("nodes"); w.beginArray()
            for n in g.nodes {
                w.beginObject()
                w.key("id"); w.int(n.id)
                w.key("label"); w.string(n.label)
                w.key("op"); w.string(n.op)
                w.key("shape"); w.ints(n.shape)
                w.key("parameter"); w.bool(n.isParameter)
                w.key("inputs"); w.ints(n.inputs)
                w.endObject()
            }
            w.endArray()
        case .trace(let t):
            w.key("root"); w.string(t.steps.root)
            w.key("precision"); w.int(t.precision)
            w.key("note"); w.string(t.steps.note)
            w.key("quiz"); w.bool(t.quiz)
            w.key("forward"); w.beginArray(); for s in t.steps.forward { step(s, &w) }; w.endArray()
            w.key("backward"); w.beginArray(); for s in t.steps.backward { step(s, &w) }; w.endArray()
            w.key("showLimit"); w.int(t.showLimit)
        case .table(let t):
            w.key("header"); w.strings(t.header)
            w.key("rows"); w.beginArray(); for r in t.rows { w.strings(r) }; w.endArray()
            w.key("alignments"); w.strings(t.alignments.map(\.rawValue))
            w.key("notes"); w.strings(t.notes)
        case .training(let t): training(t, &w)
        case .metric(let m):
            w.key("name"); w.string(m.name)
            w.key("value"); w.double(m.value)
            w.key("step"); w.double(m.step)
        case .warning(let warning):
            w.key("message"); w.string(warning.message)
            w.key("range"); if let r = warning.range { range(r, &w) } else { w.null() }
        case .error(let r): report(r, &w)
        case .interrupted(let r): report(r, &w)
        case .action(let a):
            w.key("action"); w.string(a.text)
        case .cellEnded(let e):
            w.key("cell"); w.int(e.number)
            w.key("outcome"); w.string(e.outcome.rawValue)
            w.key("seconds"); w.double(e.seconds)
        }
        w.endObject()
        return w.text
    }

    /// A histogram's fields, then its peers (`hist(a, b)`) as histograms of their own.
    private static func histogram(_ h: HistogramData, _ w: inout JSONWriter) {
        w.key("title"); w.string(h.title)
        w.key("counts"); w.ints(h.counts)
        w.key("low"); w.double(h.low)
        w.key("high"); w.double(h.high)
        w.key("nonFinite"); w.int(h.nonFinite)
        w.key("peers"); w.beginArray()
        for p in h.peers { w.beginObject(); histogram(p, &w); w.endObject() }
        w.endArray()
    }

    /// An image's fields, then its sheet (`show(d, 0..15)`) as images of their own.
    private static func image(_ i: ImageData, _ w: inout JSONWriter) {
        w.key("rows"); w.int(i.rows)
        w.key("columns"); w.int(i.columns)
        w.key("pixels"); w.floats(i.pixels)
        w.key("low"); w.float(i.low)
        w.key("high"); w.float(i.high)
        w.key("caption"); w.string(i.caption)
        w.key("label"); w.string(i.label)
        w.key("probabilities"); if let p = i.probabilities { w.doubles(p) } else { w.null() }
        w.key("sheet"); w.beginArray()
        for s in i.sheet { w.beginObject(); image(s, &w); w.endObject() }
        w.endArray()
    }

    private static func training(_ event: TrainingEvent, _ w: inout JSONWriter) {
        switch event {
        case .fitStarted(let f):
            w.key("model"); w.string(f.model)
            w.key("loss"); w.string(f.loss)
            w.key("epochs"); w.int(f.epochs)
            w.key("batchesPerEpoch"); w.int(f.batchesPerEpoch)
            w.key("batchSize"); w.int(f.batchSize)
            w.key("samples"); w.int(f.samples)
            w.key("validationSamples"); w.int(f.validationSamples)
        case .batch(let b):
            w.key("epoch"); w.int(b.epoch)
            w.key("epochs"); w.int(b.epochs)
            w.key("batch"); w.int(b.batch)
            w.key("batchesPerEpoch"); w.int(b.batchesPerEpoch)
            w.key("loss"); w.double(b.loss)
            w.key("accuracy"); w.double(b.accuracy)
            w.key("samplesPerSecond"); w.double(b.samplesPerSecond)
            w.key("eta"); w.double(b.eta)
        case .epoch(let e):
            w.key("epoch"); w.int(e.epoch)
            w.key("epochs"); w.int(e.epochs)
            w.key("loss"); w.doubles(e.loss)
            w.key("valLoss"); w.doubles(e.valLoss)
            w.key("valAccuracy"); w.doubles(e.valAccuracy)
            w.key("accuracy"); w.double(e.accuracy)
            w.key("seconds"); w.double(e.seconds)
            w.key("stoppedEarly"); w.bool(e.stoppedEarly)
        case .paused(let p):
            w.key("epoch"); w.int(p.epoch)
            w.key("epochs"); w.int(p.epochs)
            w.key("batch"); w.int(p.batch)
            w.key("batchesPerEpoch"); w.int(p.batchesPerEpoch)
            w.key("batchesTrained"); w.int(p.batchesTrained)
            w.key("loss"); w.double(p.loss)
            w.key("cause"); w.string(p.cause.rawValue)
            w.key("names"); w.strings(p.names)
        case .fitEnded(let f):
            w.key("reason"); w.string(f.reason.rawValue)
            w.key("epochsCompleted"); w.int(f.epochsCompleted)
            w.key("batches"); w.int(f.batches)
            w.key("bestEpoch"); w.int(f.bestEpoch)
            w.key("patience"); w.int(f.patience)
            w.key("modelState"); w.string(f.modelState)
            w.key("seconds"); w.double(f.seconds)
        case .snapshot(let s):
            w.key("epoch"); w.int(s.epoch)
            w.key("batch"); w.int(s.batch)
            w.key("tensors"); w.beginArray()
            for (name, t) in s.tensors {
                w.beginObject()
                w.key("name"); w.string(name)
                w.key("shape"); w.ints(t.shape)
                w.key("values"); w.floats(t.scalars)
                w.endObject()
            }
            w.endArray()
        }
    }

    private static func value(_ v: ValueSnapshot, _ w: inout JSONWriter) {
        w.beginObject()
        w.key("kind"); w.string(v.kind)
        switch v {
        case .number(let x): w.key("number"); w.double(x)
        case .bool(let b): w.key("bool"); w.bool(b)
        case .string(let s): w.key("string"); w.string(s)
        case .none: break
        case .tensor(let t):
            w.key("shape"); w.ints(t.shape)
            w.key("parameter"); w.bool(t.isParameter)
            w.key("requiresGrad"); w.bool(t.requiresGrad)
            w.key("values"); if let values = t.values { w.floats(values) } else { w.null() }
            w.key("min"); w.float(t.min)
            w.key("max"); w.float(t.max)
            w.key("mean"); w.double(t.mean)
        case .list(let items):
            w.key("items"); w.beginArray(); for item in items { value(item, &w) }; w.endArray()
        case .record(let fields):
            w.key("fields"); w.beginArray()
            for f in fields { w.beginObject(); w.key("name"); w.string(f.name); w.key("value"); value(f.value, &w); w.endObject() }
            w.endArray()
        case .other(_, let display): w.key("display"); w.string(display)
        }
        w.endObject()
    }

    private static func tensor(_ t: Tensor, _ w: inout JSONWriter) {
        w.beginObject()
        w.key("shape"); w.ints(t.shape)
        w.key("values"); w.floats(t.scalars)
        w.endObject()
    }

    private static func step(_ s: TraceStep, _ w: inout JSONWriter) {
        w.beginObject()
        w.key("phase"); w.string(s.phase.rawValue)
        w.key("name"); w.string(s.name)
        w.key("node"); w.int(s.nodeID)
        w.key("op"); w.string(s.op)
        w.key("inputs"); w.strings(s.inputs)
        w.key("inputNodes"); w.ints(s.inputIDs)
        w.key("formula"); w.string(s.formula)
        w.key("shape"); w.ints(s.shape)
        w.key("value"); tensor(s.value, &w)
        w.key("parameter"); w.bool(s.isParameter)
        w.key("layer")
        if let l = s.layer {
            w.beginObject()
            w.key("id"); w.int(l.id)
            w.key("name"); w.string(l.name)
            w.key("kind"); w.string(l.kind)
            w.key("index"); w.int(l.index)
            w.key("path"); w.strings(l.path)
            w.endObject()
        } else { w.null() }
        w.key("upstream"); if let u = s.upstream { tensor(u, &w) } else { w.null() }
        w.key("contributions"); w.beginArray()
        for c in s.contributions {
            w.beginObject()
            w.key("from"); w.string(c.from)
            w.key("node"); w.int(c.fromID)
            w.key("argument"); w.int(c.argument)
            w.key("gradient"); tensor(c.gradient, &w)
            w.endObject()
        }
        w.endArray()
        w.key("rule"); w.string(s.rule)
        w.key("factor")
        if let f = s.factor {
            w.beginObject()
            w.key("terms"); if let terms = f.terms { w.strings(terms) } else { w.null() }
            w.key("values"); tensor(f.values, &w)
            w.endObject()
        } else { w.null() }
        w.key("flows"); w.beginArray()
        for f in s.flows {
            w.beginObject()
            w.key("input"); w.string(f.input)
            w.key("node"); w.int(f.inputID)
            w.key("argument"); w.int(f.argument)
            w.key("gradient"); tensor(f.gradient, &w)
            w.key("how"); w.string(f.how)
            w.key("unreduced"); if let u = f.unreduced { tensor(u, &w) } else { w.null() }
            w.endObject()
        }
        w.endArray()
        w.endObject()
    }

    private static func range(_ r: SourceRange, _ w: inout JSONWriter) {
        w.beginObject()
        w.key("line"); w.int(r.start.line)
        w.key("column"); w.int(r.start.column)
        w.key("endLine"); w.int(r.end.line)
        w.key("endColumn"); w.int(r.end.column)
        w.endObject()
    }

    private static func report(_ r: ErrorReport, _ w: inout JSONWriter) {
        w.key("kind"); w.string(r.error.kind.rawValue)
        w.key("message"); w.string(r.error.message)
        w.key("range"); range(r.error.range, &w)
        w.key("rendered"); w.string(r.rendered)
    }
}
