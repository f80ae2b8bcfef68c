import Foundation
import Glibc

/// The `--exec` command of a follower: run once per story without a shell, with the story's JSON line on its
/// standard input and `FEEDD_FEED`, `FEEDD_ID`, `FEEDD_TITLE`, `FEEDD_URL` in its environment.
///
/// The command runs in a process group of its own, so that a timeout ends whatever it started too, and a Ctrl-C
/// at the terminal reaches the follower only, which lets the command finish (`stopGrace`). Its standard input is
/// an unlinked file in the followers' folder holding the line, not a pipe: a command that reads nothing cannot
/// block the follower, and a long line needs no writer thread.
struct StoryCommand: Sendable {
    /// The program (looked up in `$PATH` when it has no slash) and its arguments.
    let arguments: [String]
    /// A run longer than this is killed and counts as failed.
    let timeout: Double
    /// How long a running command may go on after a stop was requested before it is killed.
    let stopGrace: Double
    /// The follower's environment, which the command inherits.
    let environment: [String: String]
    /// Where the file for standard input is made.
    let scratchDirectory: String

    /// How one run ended.
    enum Outcome: Equatable, Sendable {
        case succeeded
        /// Exited non-zero, was killed by a signal, could not be started, or ran out of time: "exit status 3".
        case failed(String)
        /// Stopped on request before it finished; the story is handled again on the next start.
        case interrupted
    }

    /// Runs the command for `line` (a story's JSON line, without newline) and waits for it.
    func run(line: [UInt8], story: StoryLine, stop: StopRequest) -> Outcome {
        let input: Int32
        do throws(StoreError) {
            input = try inputFile(holding: line + [0x0A])
        } catch {
            return .failed("\(error)")
        }
        defer { FileIO.close(input) }
        var variables = environment
        variables["FEEDD_FEED"] = story.feed.rawValue
        variables["FEEDD_ID"] = story.id
        variables["FEEDD_TITLE"] = story.title
        variables["FEEDD_URL"] = story.url ?? ""
        let pid: pid_t
        switch spawn(input: input, environment: variables) {
        case .success(let spawned): pid = spawned
        case .failure(let reason): return .failed(reason)
        }
        return wait(for: pid, stop: stop)
    }

    // MARK: - Running

    private enum Spawn {
        case success(pid_t)
        case failure(String)
    }

    private func spawn(input: Int32, environment: [String: String]) -> Spawn {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, input, STDIN_FILENO)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Signals the follower ignores (it takes SIGTERM and SIGINT through a signal source) would stay ignored in
        // the command: give it the default actions and an empty mask.
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for number in [SIGTERM, SIGINT, SIGHUP, SIGPIPE, SIGQUIT] { sigaddset(&defaults, number) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(
            &attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP))
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        // posix_spawnp searches the follower's own PATH, which the command inherits: the two agree.
        let result = posix_spawnp(&pid, arguments[0], &actions, &attributes, argv, envp)
        guard result == 0 else { return .failure("cannot run \(arguments[0]): \(String(cString: strerror(result)))") }
        return .success(pid)
    }

    /// Waits for `pid`, killing its process group when it runs past `timeout`, or past `stopGrace` once a stop was
    /// requested.
    private func wait(for pid: pid_t, stop: StopRequest) -> Outcome {
        let started = DispatchTime.now().uptimeNanoseconds
        var stopSeen: UInt64?
        // Short commands are the rule: look again after 0.5 ms, then ever less often, up to every 10 ms.
        var pause: useconds_t = 500
        while true {
            var status: Int32 = 0
            let waited = waitpid(pid, &status, WNOHANG)
            if waited == pid { return Self.outcome(status) }
            if waited == -1 && errno != EINTR { return .failed("waitpid failed: \(String(cString: strerror(errno)))") }
            let now = DispatchTime.now().uptimeNanoseconds
            if stopSeen == nil, stop.isRequested { stopSeen = now }
            if let stopSeen, Double(now - stopSeen) / 1e9 >= stopGrace {
                Self.kill(pid)
                return .interrupted
            }
            if Double(now - started) / 1e9 >= timeout {
                Self.kill(pid)
                return .failed("timed out after \(DurationSyntax.format(timeout))")
            }
            usleep(pause)
            pause = min(pause * 2, 10_000)
        }
    }

    /// SIGTERM to the command's process group, then SIGKILL to what is left of it a second later; reaps `pid`.
    private static func kill(_ pid: pid_t) {
        _ = Glibc.kill(-pid, SIGTERM)
        var status: Int32 = 0
        for _ in 0..<100 {
            if waitpid(pid, &status, WNOHANG) == pid {
                _ = Glibc.kill(-pid, SIGKILL)  // anything it started and left behind
                return
            }
            usleep(10_000)
        }
        _ = Glibc.kill(-pid, SIGKILL)
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
    }

    private static func outcome(_ status: Int32) -> Outcome {
        let signal = status & 0x7F
        if signal == 0 {
            let code = (status >> 8) & 0xFF
            return code == 0 ? .succeeded : .failed("exit status \(code)")
        }
        return .failed("killed by signal \(signal)")
    }

    /// An unlinked file holding `bytes`, open for reading from its start.
    private func inputFile(holding bytes: [UInt8]) throws(StoreError) -> Int32 {
        let path = scratchDirectory + "/.stdin-\(getpid())"
        let fd = try FileIO.open(path, O_RDWR | O_CREAT | O_TRUNC, mode: 0o600)
        do throws(StoreError) {
            try FileIO.remove(path)
            try FileIO.write(fd, bytes, path: path)
        } catch {
            FileIO.close(fd)
            throw error
        }
        lseek(fd, 0, SEEK_SET)
        return fd
    }
}
