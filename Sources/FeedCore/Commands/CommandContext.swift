import Foundation

/// What every command but `parse` starts from: where the config is, the config itself, and the state directory.
struct CommandContext {
    var configPath: String
    /// The configuration; nil when it could not be loaded and the command can do without (`status`, `tail`).
    var config: Config?
    var problems: [ConfigProblem]
    var stateDirectory: URL
    /// `--state`, when given: it wins over any config's `state_dir`.
    private var explicitState: String?
    /// `$STATE_DIRECTORY`'s first folder, when set: the state directory of a config without `state_dir`.
    private var systemdState: String?

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
        var context = CommandContext(
            configPath: path, config: config, problems: problems, stateDirectory: URL(fileURLWithPath: "/"),
            explicitState: arguments.value("--state"),
            systemdState: environment["STATE_DIRECTORY"]?.split(separator: ":").first.map(String.init))
        context.stateDirectory = context.stateDirectory(for: config)
        return context
    }

    /// The state directory for `config`, by the precedence above: what a reloaded config would name, too.
    func stateDirectory(for config: Config?) -> URL {
        let state: String
        if let explicitState {
            state = explicitState
        } else if let configured = config?.stateDirectory {
            let base = URL(fileURLWithPath: configPath).deletingLastPathComponent()
            state = configured.hasPrefix("/") ? configured : base.appendingPathComponent(configured).path
        } else if let systemdState {
            state = systemdState
        } else {
            state = "state"
        }
        return URL(fileURLWithPath: state).standardizedFileURL
    }

    /// Writes every config problem to `stderr`, one line each.
    func report(to stderr: Output) {
        for problem in problems { stderr.line("feedd: \(problem)") }
    }
}
