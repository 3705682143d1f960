import MaplNN

/// The losses as the language runs them: each checks that its input is of the kind it takes and warns,
/// once a session, when it is not (`Losses.inputProblem`: probabilities handed to cross_entropy — the
/// softmax trap — or to nll, logits to bce). These train silently worse instead of failing, so a word is
/// due; after the warning the check is skipped.
extension Interpreter {
    /// `warn`, at most once per session for each `key`.
    func warnOnce(_ key: String, _ message: String) {
        if warnedOnce.insert(key).inserted { warn(message) }
    }

    /// `loss` (the builtin named `name`) with its input check.
    func checkedLoss(_ name: String, _ loss: @escaping LossFunction) -> LossFunction {
        guard ["cross_entropy", "nll", "bce"].contains(name) else { return loss }
        let key = "loss input: " + name
        return { [unowned self] prediction, target in
            if !self.warnedOnce.contains(key), let problem = Losses.inputProblem(name, prediction.value) {
                self.warnOnce(key, problem)
            }
            return try loss(prediction, target)
        }
    }
}
