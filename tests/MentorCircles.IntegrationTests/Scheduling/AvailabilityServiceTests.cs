using System.Text;
using MentorCircles.Core.Circles;
using MentorCircles.Core.Common;
using MentorCircles.Core.Scheduling;
using MentorCircles.IntegrationTests.Objectives;

namespace MentorCircles.IntegrationTests.Scheduling;

[Collection(PostgresCollection.Name)]
public sealed class AvailabilityServiceTests(PostgresFixture postgres) : DatabaseTest(postgres)
{
    // A winter week: Rome is one hour ahead of London, Jerusalem two.
    private static readonly DateOnly WinterMonday = new(2026, 11, 30);
    private long circle, helen, marco, daniel, outsider;
    private AvailabilityService Availability => new(Db, new CircleAccess(Db), Clock);

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Clock.Advance(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero) - Clock.GetUtcNow());
        var program = await Given.ProgramAsync(Db);
        helen = await Given.PersonAsync(Db, program, "helen@example.org", timeZone: "Europe/London", displayName: "Helen Carter");
        marco = await Given.PersonAsync(Db, program, "marco@example.org", timeZone: "Europe/Rome", displayName: "Marco Rossi");
        daniel = await Given.PersonAsync(Db, program, "daniel@example.org", timeZone: "Asia/Jerusalem", displayName: "Daniel Cohen");
        outsider = await Given.PersonAsync(Db, program, "olly@example.org", displayName: "Olly Outsider");
        circle = await Given.CircleAsync(Db, program, "Writing circle", (helen, "facilitator"), (marco, "peer"), (daniel, "peer"));
        await ObjectiveGiven.AgreementAcceptedByAsync(Db, circle, helen, marco, daniel);
    }

    private static AvailabilityWindow W(DayOfWeek day, int fromHour, int toHour) =>
        new(day, new TimeOnly(fromHour, 0), toHour == 24 ? TimeOnly.MinValue : new TimeOnly(toHour, 0));

    [Fact]
    public async Task Saving_weekly_windows_replaces_the_whole_set_merged_and_sorted()
    {
        await Availability.SaveWeeklyAsync(marco, [W(DayOfWeek.Friday, 9, 12)], Ct);
        await Availability.SaveWeeklyAsync(marco, [W(DayOfWeek.Tuesday, 14, 15), W(DayOfWeek.Monday, 10, 11), W(DayOfWeek.Monday, 11, 12), W(DayOfWeek.Sunday, 22, 24)], Ct);

        var mine = await Availability.GetMineAsync(marco, Ct);
        Assert.Equal("Europe/Rome", mine.TimeZone);
        Assert.Contains("Europe/Rome", mine.ZoneLabel);
        Assert.Equal([W(DayOfWeek.Monday, 10, 12), W(DayOfWeek.Tuesday, 14, 15), W(DayOfWeek.Sunday, 22, 24)], mine.Windows);
    }

    [Fact]
    public async Task Overlapping_or_inverted_windows_are_refused_with_a_message_and_nothing_is_saved()
    {
        await Availability.SaveWeeklyAsync(marco, [W(DayOfWeek.Friday, 9, 12)], Ct);

        var overlap = await Assert.ThrowsAsync<InvalidInputException>(() =>
            Availability.SaveWeeklyAsync(marco, [W(DayOfWeek.Monday, 10, 12), W(DayOfWeek.Monday, 11, 13)], Ct));
        var inverted = await Assert.ThrowsAsync<InvalidInputException>(() =>
            Availability.SaveWeeklyAsync(marco, [W(DayOfWeek.Monday, 15, 13)], Ct));

        Assert.Contains(overlap.Errors, e => e.Message.Contains("overlaps"));
        Assert.Contains(inverted.Errors, e => e.Message.Contains("ends before it starts"));
        Assert.Equal([W(DayOfWeek.Friday, 9, 12)], (await Availability.GetMineAsync(marco, Ct)).Windows);
    }

    [Fact]
    public async Task An_unknown_time_zone_saves_nothing()
    {
        await ExecuteAsync("UPDATE mentor.person SET time_zone = 'Mars/Olympus' WHERE id = @marco", new { marco });

        var ex = await Assert.ThrowsAsync<InvalidInputException>(() =>
            Availability.SaveWeeklyAsync(marco, [W(DayOfWeek.Monday, 10, 12)], Ct));

        Assert.Contains("Mars/Olympus", ex.Errors[0].Message);
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM mentor.availability_window"));
    }

    [Fact]
    public async Task Away_periods_and_manual_busy_times_are_replaced_and_read_back()
    {
        await Availability.SaveAwayAsync(marco, [new(new(2026, 12, 20), new(2027, 1, 3), " Holidays ")], Ct);
        await Availability.SaveManualBusyAsync(marco, [new(new(2026, 12, 1, 9, 0, 0, TimeSpan.FromHours(1)), new(2026, 12, 1, 10, 0, 0, TimeSpan.FromHours(1)), "Dentist")], Ct);
        await Assert.ThrowsAsync<InvalidInputException>(() =>
            Availability.SaveAwayAsync(marco, [new(new(2026, 12, 5), new(2026, 12, 1), null)], Ct));

        var mine = await Availability.GetMineAsync(marco, Ct);
        Assert.Equal([new AwayRange(new(2026, 12, 20), new(2027, 1, 3), "Holidays")], mine.Away);
        var busy = Assert.Single(mine.ManualBusy);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero), busy.Start);
        Assert.Equal("Dentist", busy.Label);
    }

    private static MemoryStream Ics(params string[] events)
    {
        var text = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
            + string.Concat(events.Select((e, i) => $"BEGIN:VEVENT\r\nUID:e{i}@test\r\nDTSTAMP:20261101T000000Z\r\n{e}\r\nEND:VEVENT\r\n"))
            + "END:VCALENDAR\r\n";
        return new MemoryStream(Encoding.UTF8.GetBytes(text));
    }

    [Fact]
    public async Task An_ics_import_replaces_the_earlier_import_but_keeps_manual_busy_times()
    {
        await Availability.SaveManualBusyAsync(marco, [new(new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero), new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero), null)], Ct);
        await Availability.ImportIcsAsync(marco, Ics("DTSTART:20261202T100000Z\r\nDTEND:20261202T110000Z", "DTSTART:20261203T100000Z\r\nDTEND:20261203T110000Z"), Ct);

        var result = await Availability.ImportIcsAsync(marco, Ics("DTSTART;TZID=Europe/Rome:20261204T150000\r\nDTEND;TZID=Europe/Rome:20261204T160000"), Ct);

        Assert.Single(result.Busy);
        Assert.Equal(1L, await ScalarAsync<long>("SELECT count(*) FROM mentor.busy_block WHERE source = 'ics'"));
        Assert.Equal(new DateTime(2026, 12, 4, 14, 0, 0),
            await ScalarAsync<DateTime>("SELECT lower(during) AT TIME ZONE 'UTC' FROM mentor.busy_block WHERE source = 'ics'"));
        Assert.Single((await Availability.GetMineAsync(marco, Ct)).ManualBusy);
    }

    [Fact]
    public async Task A_malformed_or_oversized_ics_file_is_refused_and_the_earlier_import_stays()
    {
        await Availability.ImportIcsAsync(marco, Ics("DTSTART:20261202T100000Z\r\nDTEND:20261202T110000Z"), Ct);

        var malformed = await Assert.ThrowsAsync<InvalidInputException>(() =>
            Availability.ImportIcsAsync(marco, new MemoryStream(Encoding.UTF8.GetBytes("this is not a calendar")), Ct));
        var huge = await Assert.ThrowsAsync<InvalidInputException>(() =>
            Availability.ImportIcsAsync(marco, new NonSeekable(new byte[20 * 1024 * 1024]), Ct));

        Assert.NotEmpty(malformed.Errors[0].Message);
        Assert.Contains("2 MB", huge.Errors[0].Message);
        Assert.Equal(1L, await ScalarAsync<long>("SELECT count(*) FROM mentor.busy_block WHERE source = 'ics'"));
    }

    [Fact]
    public async Task The_heatmap_shows_each_members_windows_at_the_right_hours_in_the_viewers_zone()
    {
        await Availability.SaveWeeklyAsync(marco, [W(DayOfWeek.Monday, 10, 12)], Ct);   // 09:00–11:00 London
        await Availability.SaveWeeklyAsync(helen, [W(DayOfWeek.Monday, 9, 10)], Ct);
        await Availability.SaveWeeklyAsync(daniel, [W(DayOfWeek.Monday, 11, 13)], Ct);  // 09:00–11:00 London

        var map = await Availability.CircleHeatmapAsync(circle, helen, WinterMonday, Ct);

        Assert.Equal("Europe/London", map.Grid.ViewerZone);
        Assert.Contains("Europe/London", map.Grid.ZoneLabel);
        Assert.Equal(3, map.Grid.PeopleCount);
        int Slot(int hour, int minute = 0) => (hour * 60 + minute) / 30;
        Assert.Equal(0, map.Grid[0, Slot(8, 30)].FreeCount);
        Assert.Equal(3, map.Grid[0, Slot(9)].FreeCount);
        Assert.Equal(3, map.Grid[0, Slot(9, 30)].FreeCount);
        Assert.Equal(2, map.Grid[0, Slot(10)].FreeCount);
        Assert.Equal([helen], map.Grid[0, Slot(10)].Missing);
        Assert.Equal(0, map.Grid[0, Slot(11)].FreeCount);
        Assert.Equal("Marco Rossi", map.Names[marco]);

        var romeView = await Availability.CircleHeatmapAsync(circle, marco, WinterMonday, Ct);
        Assert.Equal(3, romeView.Grid[0, Slot(10)].FreeCount);
        Assert.Equal(0, romeView.Grid[0, Slot(9)].FreeCount);
    }

    [Fact]
    public async Task The_heatmap_counts_only_current_members()
    {
        await ExecuteAsync("UPDATE mentor.membership SET left_at = now() WHERE person_id = @daniel", new { daniel });

        var map = await Availability.CircleHeatmapAsync(circle, helen, WinterMonday, Ct);

        Assert.Equal(2, map.Grid.PeopleCount);
        Assert.DoesNotContain(daniel, map.Names.Keys);
    }

    [Fact]
    public async Task A_non_member_may_not_see_the_heatmap()
    {
        await Assert.ThrowsAnyAsync<AccessDeniedException>(() => Availability.CircleHeatmapAsync(circle, outsider, WinterMonday, Ct));
    }

    /// <summary>An upload stream: no length to check up front.</summary>
    private sealed class NonSeekable(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
        public override long Length => throw new NotSupportedException();
    }
}
