import Foundation

/// What every command but `parse` starts from: where the config is, the config itself, and the state directory.
struct CommandContext {
    var configPath: String
    /// The configuration; nil when it could not be loaded and the command can do without (`status`, `tail`).
    var config: Config?
    var problems: [ConfigProblem]
    var stateDirectory: URL

    /// The options every command accepts.
    static let valuedOptions: Set<String> = ["--config", "--state"]

    /// Finds the config (`--config`, `$FEEDD_CONFIG`, `./feeds.json`) and loads it, and the state directory:
    /// `--state`, else the config's `state_dir` (relative to the config's directory), else `$STATE_DIRECTORY` (as
    /// systemd sets it), else `./state`.
    static func load(_ arguments: Arguments, environment: [String: String]) -> CommandContext {
        let path = ConfigFile.locate(explicit: arguments.value("--config"), environment: environment)
        var config: Config?
        var problems: [ConfigProblem] = []
        switch ConfigFile.load(path: path) {
        case .success(let loaded): config = loaded
        case .failure(let found): problems = found
        }
        let state: String
        if let explicit = arguments.value("--state") {
            state = explicit
        } else if let configured = config?.stateDirectory {
            let base = URL(fileURLWithPath: path).deletingLastPathComponent()
            state = configured.hasPrefix("/") ? configured : base.appendingPathComponent(configured).path
        } else if let systemd = environment["STATE_DIRECTORY"]?.split(separator: ":").first {
            state = String(systemd)
        } else {
            state = "state"
        }
        return CommandContext(configPath: path, config: config, problems: problems,
                              stateDirectory: URL(fileURLWithPath: state).standardizedFileURL)
    }

    /// Writes every config problem to `stderr`, one line each.
    func report(to stderr: Output) {
        for problem in problems { stderr.line("feedd: \(problem)") }
    }
}
