namespace Strata.Cli.Tests;

public sealed class TtyBuildProgressTests
{
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 11, 28, 1, 0, 0, TimeSpan.Zero));
    private readonly StringWriter _terminal = new();

    private TtyBuildProgress Create(int width = 60, int height = 24) =>
        new(_terminal, _clock, () => (width, height), Timeout.InfiniteTimeSpan);

    /// <summary>A 60-column row: the label left, the status right-aligned after one space.</summary>
    private static string Row60(string label, string status) => label.PadRight(60 - status.Length - 1) + " " + status;

    [Fact]
    public void A_running_step_shows_a_spinner_its_elapsed_time_and_its_last_three_output_lines()
    {
        using var tty = Create();
        tty.StepStarted(1, "RUN make");
        foreach (var line in new[] { "one", "two", "three", "four" }) tty.StepOutput(1, line);
        _clock.Advance(TimeSpan.FromSeconds(1.3));

        Assert.Equal(
            [
                "[+] Building 1.3s (0/1)",
                " => #1 RUN make" + new string(' ', 38) + " ⠸ 1.3s",
                "    > two",
                "    > three",
                "    > four",
            ],
            tty.RenderFrame(60));
    }

    [Fact]
    public void Finished_steps_show_done_cached_or_error_and_drop_their_output()
    {
        using var tty = Create();
        tty.StepStarted(1, "FROM bb:1");
        tty.StepCompleted(1, TimeSpan.Zero, cached: true);
        tty.StepStarted(2, "RUN echo hi");
        tty.StepOutput(2, "hi");
        tty.StepCompleted(2, TimeSpan.FromSeconds(0.42), cached: false);
        tty.StepStarted(3, "RUN false");
        _clock.Advance(TimeSpan.FromSeconds(2));
        tty.StepFailed(3, "Dockerfile:3: exit code 1");

        Assert.Equal(
            [
                "[+] Building 2.0s (3/3) FINISHED",
                Row60(" => #1 FROM bb:1", "CACHED"),
                Row60(" => #2 RUN echo hi", "DONE 0.4s"),
                Row60(" => #3 RUN false", "ERROR 2.0s"),
                "    ! Dockerfile:3: exit code 1",
            ],
            tty.RenderFrame(60));
    }

    [Fact]
    public void A_copy_shows_the_bytes_it_copied_before_its_status_and_a_stale_smaller_count_changes_nothing()
    {
        using var tty = Create();
        tty.StepStarted(1, "[2/2] COPY data /data");
        tty.StepTransferred(1, 1_500_000);
        tty.StepTransferred(1, 5_500_000);
        // Reported by a slower copy thread after the larger total.
        tty.StepTransferred(1, 4_000_000);
        _clock.Advance(TimeSpan.FromSeconds(0.2));

        Assert.Equal(Row60(" => #1 [2/2] COPY data /data", "5.5MB ⠹ 0.2s"), tty.RenderFrame(60)[1]);

        tty.StepCompleted(1, TimeSpan.FromSeconds(0.3), cached: false);
        Assert.Equal(Row60(" => #1 [2/2] COPY data /data", "5.5MB DONE 0.3s"), tty.RenderFrame(60)[1]);
    }

    [Fact]
    public void A_step_that_missed_the_cache_says_why_on_its_own_line_and_the_label_is_cut_before_the_reason()
    {
        using var tty = Create();
        tty.StepStarted(1, "[2/3] COPY . /app/");
        tty.StepCacheMiss(1, "file changed: src/app.js");
        tty.StepCompleted(1, TimeSpan.FromSeconds(0.2), cached: false);
        tty.StepStarted(2, "[3/3] RUN cat /app/package.json > /installed && echo a-long-tail");
        tty.StepCacheMiss(2, "parent step [2/3] rebuilt");

        Assert.Equal(
            [
                "[+] Building 0.0s (1/2)",
                Row60(" => #1 [2/3] COPY (miss: file changed: src/app.js)", "DONE 0.2s"),
                Row60(" => #2 [3/3] RUN ca (miss: parent step [2/3] rebuilt)", "⠋ 0.0s"),
            ],
            tty.RenderFrame(60));
    }

    [Fact]
    public void Long_names_and_output_lines_are_cut_to_the_terminal_width_and_control_characters_removed()
    {
        using var tty = Create();
        tty.StepStarted(1, "RUN " + new string('a', 100));
        tty.StepOutput(1, "\e[31mred\tand" + new string('b', 100));

        var frame = tty.RenderFrame(40);
        Assert.All(frame, line => Assert.True(line.Length <= 40, line));
        Assert.Equal(" => #1 RUN " + new string('a', 22) + " ⠋ 0.0s", frame[1]);
        Assert.Equal("    > ?[31mred and" + new string('b', 22), frame[2]);
    }

    [Fact]
    public void Redraws_move_the_cursor_back_over_the_previous_frame_and_the_final_frame_stays()
    {
        var tty = Create();
        tty.StepStarted(1, "RUN a");
        tty.Redraw();
        int first = _terminal.ToString().Length;
        Assert.DoesNotContain("\e[", _terminal.ToString()[..first].Replace("\e[K", "").Replace("\e[J", ""), StringComparison.Ordinal);

        tty.StepCompleted(1, TimeSpan.FromSeconds(1), cached: false);
        tty.Finish();
        var second = _terminal.ToString()[first..];
        Assert.StartsWith("\e[2F[+] Building", second);
        Assert.Contains("DONE 1.0s", second, StringComparison.Ordinal);

        tty.Redraw(); // after Finish nothing is drawn over the final frame
        tty.Dispose();
        Assert.Equal(first + second.Length, _terminal.ToString().Length);
    }

    [Fact]
    public void A_live_frame_taller_than_the_terminal_shows_the_header_and_the_newest_rows()
    {
        var tty = Create(height: 6);
        for (int id = 1; id <= 10; id++) tty.StepStarted(id, $"RUN {id}");
        tty.Redraw();
        var drawn = _terminal.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(5, drawn.Count(l => l.Contains("[+]", StringComparison.Ordinal) || l.Contains(" => ", StringComparison.Ordinal)));
        Assert.Contains("#10 RUN 10", drawn[^2], StringComparison.Ordinal);
    }

    [Fact]
    public void Events_from_parallel_stages_while_redrawing_are_all_rendered()
    {
        using var tty = Create();
        Parallel.For(0, 16, i =>
        {
            if (i % 2 == 0) { for (int r = 0; r < 50; r++) tty.Redraw(); return; }
            tty.StepStarted(i, $"RUN {i}");
            for (int l = 0; l < 500; l++) tty.StepOutput(i, $"{i}:{l}");
            tty.StepCompleted(i, TimeSpan.FromSeconds(1), cached: false);
        });
        var frame = tty.RenderFrame(60);
        Assert.Equal("[+] Building 0.0s (8/8) FINISHED", frame[0]);
        Assert.Equal(9, frame.Count);
    }
}
