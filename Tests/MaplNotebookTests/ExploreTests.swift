import XCTest
@testable import MaplLang
@testable import MaplNotebook

final class ExploreTests: XCTestCase {
    func testLook() {
        try? FileManager.default.removeItem(atPath: "/tmp/mapl-frames.txt")
        let driver = SessionDriver()
        var state = NotebookState(title: "mapl " + "─" + " demo")
        state.apply(driver.run("x = [1, 2, 3]\nprint(\"hello\")\nx * 2"))
        state.apply(driver.run("d = spirals(100, 3)\nm = dense(2, 16, act=relu) >> dense(16, 3)\nsummary(m)\nh = fit(m, d, epochs=5, val=d)"))
        state.apply(driver.run("plot([[1, 2, 3, 0/0, 5, 4], [3, 2, 1, 2, 3, 4]], labels=[\"a\", \"b\"])"))
        for (w, h) in [(120, 36), (80, 24), (50, 14)] {
            NotebookRenderer.render(state, width: w, height: h).dump()
            NotebookRenderer.render(state, width: w, height: h, options: RenderOptions(ascii: true, color: false)).dump()
        }
        state.apply(driver.run("y = oops + 1"))
        state.apply(driver.run("hist(randn(1000))"))
        state.prompt.text = "show(test, 7)"
        state.prompt.cursor = 13
        for (w, h) in [(120, 36), (80, 24), (50, 14)] {
            NotebookRenderer.render(state, width: w, height: h).dump()
        }
        state.apply(driver.run("w = param([1, 2])\nloss = sum(w * w)\ngraph(loss)"))
        NotebookRenderer.render(state, width: 120, height: 36).dump()
        state.apply(driver.run("heatmap(randn(10, 20))"))
        NotebookRenderer.render(state, width: 120, height: 36).dump()
        NotebookRenderer.render(state, width: 120, height: 36, options: RenderOptions(ascii: true, color: false)).dump()
        state.apply(driver.run("img = zeros(28, 28)\nimg[5:20, 10:14] = 1\nshow(img)"))
        NotebookRenderer.render(state, width: 120, height: 36, options: RenderOptions(ascii: true, color: false)).dump()
        NotebookRenderer.render(state, width: 80, height: 24, options: RenderOptions(ascii: false, color: false)).dump()
        state.pane = .loss
        state.apply(FakeFit.events(epochs: 5, batches: 100, upTo: (4, 70)))
        NotebookRenderer.render(state, width: 120, height: 36).dump()
        NotebookRenderer.render(state, width: 80, height: 24).dump()
        state.completions = ["mean", "median", "min", "mse", "max", "moons", "mnist", "model"]
        state.prompt.pendingLines = ["fn f(x) {", "  y = x * 2"]
        state.prompt.prompt = "...> "
        state.prompt.text = "  return m"
        state.prompt.cursor = 10
        NotebookRenderer.render(state, width: 80, height: 24).dump()
        state.scroll(lines: 5)
        NotebookRenderer.render(state, width: 80, height: 24).dump()
        NotebookRenderer.render(state, width: 30, height: 10).dump()
    }
}
