package dev.cara.agent;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server process's CPU time and resident memory, sampled at the start and the end of the
 * simulator's steady state, so that the run can say what one heartbeat cost the server in CPU: a
 * figure that does not depend on how fast this machine is or what else runs on it.
 *
 * <p>Two sources: {@code /proc/PID/stat} and {@code /proc/PID/status} of a server on this machine
 * ({@code --server-pid}), or the server's {@code process_cpu_seconds_total} and
 * {@code process_resident_memory_bytes} on {@code /observe/metrics} ({@code --server-metrics}), for
 * a server elsewhere. Each sample is one read; instances hold no mutable state.
 */
interface ServerUsage {

    /** CPU seconds the process has used (user + system) and its resident set now. */
    record Sample(double cpuSeconds, long rssBytes) {
    }

    /**
     * Reads the figures now.
     *
     * @throws AgentException when they cannot be read (the process is gone, the endpoint lacks them)
     */
    Sample sample();

    /** Where the figures come from, for the summary. */
    String describe();

    /** From /proc: utime and stime (fields 14 and 15 of stat, in clock ticks) and VmRSS of status. */
    static ServerUsage ofPid(long pid) {
        Path proc = Path.of("/proc", Long.toString(pid));
        if (!Files.isDirectory(proc)) {
            throw new AgentException("--server-pid " + pid + ": no such process on this machine (" + proc
                    + " does not exist); give the pid of the running cara-server, or use --server-metrics");
        }
        return new ServerUsage() {
            @Override
            public Sample sample() {
                try {
                    return new Sample(cpuSeconds(Files.readString(proc.resolve("stat"))),
                            rssBytes(Files.readString(proc.resolve("status"))));
                } catch (IOException e) {
                    throw new AgentException("cannot read " + proc + " (has the server exited?): " + e.getMessage(), e);
                }
            }

            @Override
            public String describe() {
                return "/proc/" + pid;
            }
        };
    }

    /**
     * Linux reports process times in USER_HZ ticks, which the kernel fixes at 100 for user space on
     * every architecture cara runs on (CONFIG_HZ varies; USER_HZ does not).
     */
    int USER_HZ = 100;

    /** utime + stime from a /proc/PID/stat line; the command name in parentheses may hold spaces. */
    static double cpuSeconds(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        // fields[0] is field 3 (state): utime is field 14, stime field 15.
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / (double) USER_HZ;
    }

    /** VmRSS (in kB) from /proc/PID/status. */
    static long rssBytes(String status) {
        Matcher m = Pattern.compile("(?m)^VmRSS:\\s+(\\d+) kB").matcher(status);
        if (!m.find()) {
            throw new AgentException("no VmRSS line in /proc/PID/status");
        }
        return Long.parseLong(m.group(1)) * 1024;
    }

    /** From the server's Prometheus text at {@code /observe/metrics}. */
    static ServerUsage ofMetrics(URI server) {
        URI metrics = server.resolve("/observe/metrics");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        return new ServerUsage() {
            @Override
            public Sample sample() {
                String text;
                try {
                    HttpResponse<String> res = http.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(10)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (res.statusCode() != 200) {
                        throw new AgentException(metrics + " answered " + res.statusCode());
                    }
                    text = res.body();
                } catch (IOException e) {
                    throw new AgentException("cannot read " + metrics + ": " + e.getMessage(), e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AgentException("interrupted while reading " + metrics, e);
                }
                return fromPrometheus(text, metrics);
            }

            @Override
            public String describe() {
                return metrics.toString();
            }
        };
    }

    static Sample fromPrometheus(String text, Object source) {
        return new Sample(metric(text, "process_cpu_seconds_total", source), (long) metric(text, "process_resident_memory_bytes", source));
    }

    private static double metric(String text, String name, Object source) {
        Matcher m = Pattern.compile("(?m)^" + name + "(?:\\{[^}]*})?\\s+(\\S+)").matcher(text);
        if (!m.find()) {
            throw new AgentException(source + " has no " + name + "; a cara-server exposes it, or give --server-pid");
        }
        return Double.parseDouble(m.group(1));
    }
}
