import Foundation
import XCTest
@testable import MaplRichOutput
@testable import MaplLang
import MaplTestSupport

/// `show` and `heatmap` as `image/png`: the file decodes (pypng) to the size expected, each input pixel is a
/// square of the grey it should be, the label and the probabilities are drawn beside it. Grey levels by hand:
/// a value v in [0, 1] is round(255·v).
final class ImagePNGTests: XCTestCase {
    /// A 28×28 "digit" whose pixels all differ in a pattern, with its label and a model's probabilities.
    private func digit() -> ImageData {
        let pixels = (0..<784).map { (k: Int) -> Float in Float((k * 7 + k / 28) % 29) / 28 }
        var p = [Double](repeating: 0.01, count: 10)
        p[7] = 0.82; p[1] = 0.07; p[9] = 0.03
        return ImageData(rows: 28, columns: 28, pixels: pixels, low: 0, high: 1, caption: "sample 0   label 7", label: "7", probabilities: p)
    }

    func testADigitIsDrawnLegiblyWithEachPixelWhereItShouldBe() throws {
        let image = digit()
        let bundle = MimeBundles.bundle(for: .image(image))
        XCTAssertEqual(bundle["text/plain"], TextRenderer(style: .ascii).lines(for: .image(image)).joined(separator: "\n"))
        let png = try XCTUnwrap(bundle["image/png"])
        let at = ImagePicture.placement(of: image)
        XCTAssertGreaterThanOrEqual(28 * at.scale, 140)
        let out = try RichOutputSupport.python("""
            import base64, json, sys, png
            data = json.load(sys.stdin)
            w, h, rows, info = png.Reader(bytes=base64.b64decode(data["png"])).asRGB8()
            rows = [list(r) for r in rows]
            x0, y0, s = data["x"], data["y"], data["scale"]
            bad = 0
            for r in range(28):
                for c in range(28):
                    want = round(255 * data["pixels"][r * 28 + c])
                    for dy in range(s):
                        for dx in range(s):
                            px = rows[y0 + r * s + dy][3 * (x0 + c * s + dx):3 * (x0 + c * s + dx) + 3]
                            bad += px != [want] * 3
            print(w >= 28 * s, h >= 28 * s, bad)
            """, input: try RichOutputSupport.json(["png": png, "x": at.x, "y": at.y, "scale": at.scale, "pixels": image.pixels.map(Double.init)]))
        XCTAssertEqual(out, "True True 0")
    }

    /// Beside the digit: the predicted class's bar is 0.82 of the bar's 120 px, in green (7 is the label),
    /// and the next two classes' bars (0.07, 0.03) in blue; the caption and the words are ink on white.
    func testTheProbabilitiesAreBarsBesideTheDigit() throws {
        let image = digit()
        let png = try XCTUnwrap(MimeBundles.bundle(for: .image(image))["image/png"])
        let at = ImagePicture.placement(of: image)
        let out = try RichOutputSupport.python("""
            import base64, json, sys, png
            data = json.load(sys.stdin)
            w, h, rows, info = png.Reader(bytes=base64.b64decode(data["png"])).asRGB8()
            rows = [list(r) for r in rows]
            right = 28 * data["scale"] + data["x"]
            def runs(colour):
                # the longest run of this colour on any row right of the digit
                best = 0
                for row in rows:
                    n = 0
                    for x in range(right, w):
                        n = n + 1 if row[3 * x:3 * x + 3] == colour else 0
                        best = max(best, n)
                return best
            ink = sum(1 for row in rows[:data["y"]] for x in range(w) if row[3 * x:3 * x + 3] == [34, 34, 34])
            print(runs([15, 140, 70]), runs([31, 119, 180]), ink > 50)
            """, input: try RichOutputSupport.json(["png": png, "x": at.x, "y": at.y, "scale": at.scale]))
        // round(0.82·120) = 98; the longest blue bar round(0.07·120) = 8.
        XCTAssertEqual(out, "98 8 True")
    }

    /// A wrong prediction is drawn in red: label 3, most probable 7.
    func testAWrongPredictionIsRed() throws {
        var image = digit()
        image.label = "3"
        let png = try XCTUnwrap(MimeBundles.bundle(for: .image(image))["image/png"])
        let out = try RichOutputSupport.python("""
            import base64, json, sys, png
            w, h, rows, info = png.Reader(bytes=base64.b64decode(json.load(sys.stdin)["png"])).asRGB8()
            flat = [bytes(r) for r in rows]
            red, green = bytes([205, 50, 40]), bytes([15, 140, 70])
            print(any(red in r for r in flat), any(green in r for r in flat))
            """, input: try RichOutputSupport.json(["png": png]))
        XCTAssertEqual(out, "True False")
    }

    /// `show(d, 0..15)`: a sheet of 16 tiles, each a 28×28 image at twice its size (56 px), the first at the
    /// top left with its pixels in place.
    func testASheetIsAGridOfTiles() throws {
        let tiles = (0..<16).map { t in
            ImageData(rows: 28, columns: 28, pixels: (0..<784).map { (k: Int) -> Float in Float((k + t) % 5) / 4 }, low: 0, high: 1, label: String(t % 10))
        }
        var sheet = tiles[0]
        sheet.sheet = tiles
        sheet.caption = nil
        let png = try XCTUnwrap(MimeBundles.bundle(for: .image(sheet))["image/png"])
        let out = try RichOutputSupport.python("""
            import base64, json, sys, png
            data = json.load(sys.stdin)
            w, h, rows, info = png.Reader(bytes=base64.b64decode(data["png"])).asRGB8()
            rows = [list(r) for r in rows]
            m = 8
            bad = sum(rows[m + 2 * r][3 * (m + 2 * c)] != round(255 * ((r * 28 + c) % 5) / 4) for r in range(28) for c in range(28))
            print(w >= 8 * 56, h >= 2 * 56, bad)
            """, input: try RichOutputSupport.json(["png": png]))
        XCTAssertEqual(out, "True True 0")
    }

    /// `heatmap(W)` of a 2×3 matrix 0…5: each entry a square of grey, 0 black, 5 white: 0, 51, 102, 153, 204, 255.
    func testAHeatmapIsGreySquaresFromItsMinimumToItsMaximum() throws {
        let events = try RichOutputSupport.events("heatmap([[0, 1, 2], [3, 4, 5]])")
        guard case .heatmap(let h)? = events.first(where: { if case .heatmap = $0 { return true } else { return false } }) else {
            return XCTFail("no heatmap event: \(events)")
        }
        let bundle = MimeBundles.bundle(for: .heatmap(h))
        XCTAssertTrue(bundle["text/plain"]?.contains("min 0  max 5") ?? false, bundle["text/plain"] ?? "")
        let at = HeatmapPicture.placement(of: h)
        let out = try RichOutputSupport.python("""
            import base64, json, sys, png
            data = json.load(sys.stdin)
            w, h, rows, info = png.Reader(bytes=base64.b64decode(data["png"])).asRGB8()
            rows = [list(r) for r in rows]
            s = data["scale"]
            print(s * 3 >= 140, [rows[data["y"] + r * s + s // 2][3 * (data["x"] + c * s + s // 2)] for r in range(2) for c in range(3)])
            """, input: try RichOutputSupport.json(["png": try XCTUnwrap(bundle["image/png"]), "x": at.x, "y": at.y, "scale": at.scale]))
        XCTAssertEqual(out, "True [0, 51, 102, 153, 204, 255]")
    }

    /// Pixels that do not match the size, an empty image, a size whose product overflows: no picture, the text
    /// alone; NaN pixels draw black.
    func testBadImagesKeepTheirTextAndNoPicture() throws {
        let short = ImageData(rows: 28, columns: 28, pixels: [0.5, 0.5])
        XCTAssertNil(MimeBundles.bundle(for: .image(short))["image/png"])
        XCTAssertNotNil(MimeBundles.bundle(for: .image(short))["text/plain"])
        let empty = ImageData(rows: 0, columns: 0, pixels: [])
        XCTAssertNil(MimeBundles.bundle(for: .image(empty))["image/png"])
        let huge = ImageData(rows: Int.max / 2, columns: 3, pixels: [1])
        // (ImagePicture alone: the text renderer's GreyImage.downsample traps on such a size.)
        XCTAssertNil(ImagePicture.png(huge))
        // Letters the font lacks, one that capitalises to two (ß), emoji: drawn as `?`, never a trap.
        let named = ImageData(rows: 1, columns: 1, pixels: [1], caption: "Straße 🚀 <&>", label: "ß")
        XCTAssertNotNil(MimeBundles.bundle(for: .image(named))["image/png"])
        let nan = ImageData(rows: 2, columns: 2, pixels: [.nan, 1, .infinity, 0], low: 0, high: 1)
        let png = try XCTUnwrap(MimeBundles.bundle(for: .image(nan))["image/png"])
        let at = ImagePicture.placement(of: nan)
        let out = try RichOutputSupport.python("""
            import base64, json, sys, png
            data = json.load(sys.stdin)
            w, h, rows, info = png.Reader(bytes=base64.b64decode(data["png"])).asRGB8()
            rows = [list(r) for r in rows]
            s = data["scale"]
            print([rows[data["y"] + r * s][3 * (data["x"] + c * s)] for r in range(2) for c in range(2)])
            """, input: try RichOutputSupport.json(["png": png, "x": at.x, "y": at.y, "scale": at.scale]))
        XCTAssertEqual(out, "[0, 255, 0, 0]")
    }
}
