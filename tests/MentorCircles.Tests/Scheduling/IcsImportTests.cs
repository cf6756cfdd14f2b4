using System.Text;
using MentorCircles.Core.Common;
using MentorCircles.Core.Scheduling;

namespace MentorCircles.Tests.Scheduling;

public sealed class IcsImportTests
{
    private static readonly DateTimeOffset march = new(2027, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset april = new(2027, 4, 1, 0, 0, 0, TimeSpan.Zero);

    private static DateTimeOffset Utc(string s) => DateTimeOffset.Parse(s + "Z");

    private static MemoryStream Ics(params string[] events) =>
        new(Encoding.UTF8.GetBytes("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n" + string.Join("", events.Select(e => $"BEGIN:VEVENT\r\n{e.Trim().ReplaceLineEndings("\r\n")}\r\nEND:VEVENT\r\n")) + "END:VCALENDAR\r\n"));

    private static IcsImportResult Read(Stream ics, string zone = "Europe/London", DateTimeOffset? from = null, DateTimeOffset? to = null) =>
        IcsImport.ReadBusy(ics, from ?? march, to ?? april, zone);

    private static string Refusal(Func<Stream> ics, DateTimeOffset? from = null, DateTimeOffset? to = null) =>
        Assert.Single(Assert.Throws<InvalidInputException>(() => Read(ics(), from: from, to: to)).Errors).Message;

    private static IEnumerable<(DateTimeOffset, DateTimeOffset)> Spans(IcsImportResult r) => r.Busy.Select(b => (b.Start, b.End));

    [Fact]
    public void ReadBusy_ExpandsARepeatingEvent_LeavingOutExcludedDatesAndACancelledOccurrence_AtItsLocalTime()
    {
        var result = Read(Ics("""
            UID:weekly
            DTSTART;TZID=Europe/London:20270301T090000
            DTEND;TZID=Europe/London:20270301T100000
            RRULE:FREQ=WEEKLY;COUNT=5
            EXDATE;TZID=Europe/London:20270315T090000
            SUMMARY:Team meeting
            """, """
            UID:weekly
            RECURRENCE-ID;TZID=Europe/London:20270322T090000
            DTSTART;TZID=Europe/London:20270322T140000
            DTEND;TZID=Europe/London:20270322T150000
            STATUS:CANCELLED
            """));

        Assert.Equal([(Utc("2027-03-01T09:00"), Utc("2027-03-01T10:00")), (Utc("2027-03-08T09:00"), Utc("2027-03-08T10:00")),
            (Utc("2027-03-29T08:00"), Utc("2027-03-29T09:00"))], Spans(result));
        Assert.Equal((0, 1), (result.SkippedFree, result.SkippedCancelled));
        Assert.All(result.Busy, b => Assert.Null(b.Label)); // titles stay private
        Assert.Equal("Found 3 busy times between 2027-03-01 00:00 and 2027-04-01 00:00 (UTC) (0 marked free and 1 cancelled were left out).", result.Message);
    }

    [Fact]
    public void ReadBusy_ADailyEventInNewYork_KeepsItsLocalTime_OnEveryDayAcrossTheClockChange()
    {
        var result = Read(Ics("""
            UID:daily
            DTSTART;TZID=America/New_York:20270101T090000
            DURATION:PT45M
            RRULE:FREQ=DAILY
            """), "Europe/London", march, april);

        Assert.Equal(31, result.Busy.Count);
        var ny = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        for (var i = 0; i < 31; i++)
        {
            var b = result.Busy[i];
            Assert.Equal(new DateTime(2027, 3, 1 + i, 9, 0, 0), TimeZoneInfo.ConvertTime(b.Start, ny).DateTime);
            Assert.Equal(TimeSpan.FromMinutes(45), b.End - b.Start);
            Assert.Equal(i < 13 ? 14 : 13, b.Start.UtcDateTime.Hour);
        }
    }

    [Fact]
    public void ReadBusy_LeavesOutEventsMarkedFree_AndCancelledEvents()
    {
        var result = Read(Ics("""
            UID:free
            DTSTART:20270302T100000Z
            DTEND:20270302T110000Z
            TRANSP:TRANSPARENT
            """, """
            UID:gone
            DTSTART:20270303T100000Z
            DTEND:20270303T110000Z
            RRULE:FREQ=DAILY;COUNT=3
            STATUS:CANCELLED
            """, """
            UID:kept
            DTSTART:20270304T100000Z
            DTEND:20270304T110000Z
            TRANSP:OPAQUE
            """));

        Assert.Equal([(Utc("2027-03-04T10:00"), Utc("2027-03-04T11:00"))], Spans(result));
        Assert.Equal((1, 3), (result.SkippedFree, result.SkippedCancelled));
    }

    [Theory]
    [InlineData("America/New_York", "2027-03-05T05:00", "2027-03-07T05:00")]
    [InlineData("Australia/Sydney", "2027-03-04T13:00", "2027-03-06T13:00")]
    [InlineData("Europe/London", "2027-03-05T00:00", "2027-03-07T00:00")]
    public void ReadBusy_AllDayEvents_CoverWholeDaysInThePersonsZone(string zone, string start, string end)
    {
        var result = Read(Ics("""
            UID:trip
            DTSTART;VALUE=DATE:20270305
            DTEND;VALUE=DATE:20270307
            """), zone);

        Assert.Equal([(Utc(start), Utc(end))], Spans(result));
    }

    [Fact]
    public void ReadBusy_AnAllDayEventOnTheDayTheClocksChange_LastsThatDaysRealLength()
    {
        var result = Read(Ics("UID:d\nDTSTART;VALUE=DATE:20270328"), "Europe/London");
        var b = Assert.Single(result.Busy);
        Assert.Equal((Utc("2027-03-28T00:00"), TimeSpan.FromHours(23)), (b.Start, b.End - b.Start));
    }

    [Fact]
    public void ReadBusy_TimesWithoutAZone_AreReadInThePersonsZone()
    {
        var result = Read(Ics("UID:f\nDTSTART:20270302T120000\nDTEND:20270302T130000"), "Australia/Sydney");
        Assert.Equal([(Utc("2027-03-02T01:00"), Utc("2027-03-02T02:00"))], Spans(result));
    }

    [Fact]
    public void ReadBusy_UnderstandsWindowsZoneNames_AsOutlookWritesThem()
    {
        var result = Read(Ics("UID:o\nDTSTART;TZID=W. Europe Standard Time:20270303T120000\nDTEND;TZID=W. Europe Standard Time:20270303T130000"));
        Assert.Equal([(Utc("2027-03-03T11:00"), Utc("2027-03-03T12:00"))], Spans(result));
    }

    [Fact]
    public void ReadBusy_ClipsEventsToThePeriod_SortsThem_AndIgnoresMomentsWithNoLength()
    {
        var result = Read(Ics("UID:late\nDTSTART:20270331T230000Z\nDTEND:20270401T020000Z", "UID:long\nDTSTART:20270228T200000Z\nDURATION:PT30H",
            "UID:instant\nDTSTART:20270310T100000Z", "UID:before\nDTSTART:20270201T100000Z\nDTEND:20270201T110000Z"));

        Assert.Equal([(march, Utc("2027-03-02T02:00")), (Utc("2027-03-31T23:00"), april)], Spans(result));
    }

    [Fact]
    public void ReadBusy_WithNothingInThePeriod_ReturnsNoBusyTimes_AndSaysSo()
    {
        var result = Read(Ics("UID:before\nDTSTART:20270201T100000Z\nDTEND:20270201T110000Z"));
        Assert.Empty(result.Busy);
        Assert.Equal("The calendar has no busy times between 2027-03-01 00:00 and 2027-04-01 00:00 (UTC).", result.Message);
        Assert.Empty(Read(new MemoryStream("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"u8.ToArray())).Busy);
    }

    [Fact]
    public void ReadBusy_RefusesAFileOverTwoMegabytes_BeforeReadingIt()
    {
        Assert.Equal("The calendar file is 20.0 MB; the limit is 2 MB.", Refusal(() => new UnreadableStream(20L * 1024 * 1024)));
        Assert.Equal("The calendar file is 2.1 MB; the limit is 2 MB.", Refusal(() => new UnreadableStream(IcsImport.MaxBytes + 1)));
    }

    [Fact]
    public void ReadBusy_FromAnUnseekableStream_ReadsNoMoreThanOneBytePastTheLimit()
    {
        var endless = new EndlessStream();
        Assert.Equal("The calendar file is over 2 MB; the limit is 2 MB.", Refusal(() => endless));
        Assert.Equal(IcsImport.MaxBytes + 1, endless.Served);
    }

    [Fact]
    public void ReadBusy_FromAnUnseekableStream_ReadsASmallFile()
    {
        var bytes = Ics("UID:x\nDTSTART:20270304T100000Z\nDTEND:20270304T110000Z").ToArray();
        Assert.Single(Read(new EndlessStream(bytes)).Busy);
    }

    [Theory]
    [InlineData("hello world", "Could not parse line: 'hello world'")]
    [InlineData("", "it has no BEGIN:VCALENDAR")]
    [InlineData("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:20270301T100000Z\r\n", "Unclosed component VEVENT")]
    [InlineData("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;TZID=Nowhere/Town:20270301T100000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n", "Nowhere/Town")]
    [InlineData("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:20270301T100000Z\r\nRRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n", "a repeating event's rule never produces a date")]
    public void ReadBusy_RefusesWhatIsNotACalendarWeCanRead_SayingWhy(string text, string why)
    {
        var message = Refusal(() => new MemoryStream(Encoding.UTF8.GetBytes(text)));
        Assert.StartsWith("This is not a calendar file (.ics) we can read: ", message);
        Assert.Contains(why, message);
    }

    [Fact]
    public void ReadBusy_RefusesBytesThatAreNotText()
    {
        Assert.Equal("This is not a calendar file (.ics) we can read: it is not text (UTF-8).", Refusal(() => new MemoryStream([0x89, 0x50, 0x4E, 0x47, 0xFF, 0xFE, 0x00])));
    }

    [Fact]
    public void ReadBusy_StopsAtTwoThousandBusyTimes_WithAMessage()
    {
        Assert.Equal(2000, Read(Ics("UID:h\nDTSTART:20270301T000000Z\nDURATION:PT30M\nRRULE:FREQ=HOURLY;COUNT=2000"), to: march.AddYears(1)).Busy.Count);
        Assert.Equal("The calendar has more than 2,000 busy times between 2027-03-01 and 2028-03-01; import a shorter period.",
            Refusal(() => Ics("UID:h\nDTSTART:20270301T000000Z\nDURATION:PT30M\nRRULE:FREQ=HOURLY"), to: march.AddYears(1)));
    }

    [Fact]
    public void ReadBusy_RefusesAPeriodThatEndsBeforeItStarts_AndAnUnknownZone()
    {
        Assert.Equal("The period to import ends before it starts.", Refusal(() => Ics(), april, march));
        Assert.Throws<InvalidInputException>(() => IcsImport.ReadBusy(Ics(), march, april, "Europe/Nowhere"));
    }

    /// <summary>Says how long it is but fails if anyone reads it: the size check must come first.</summary>
    private sealed class UnreadableStream(long length) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => true;
        public override bool CanWrite => false;
        public override long Length => length;
        public override long Position { get; set; }
        public override int Read(byte[] buffer, int offset, int count) => throw new InvalidOperationException("read before the size check");
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>An upload whose length is unknown: the given bytes, or endless spaces, counting what was taken.</summary>
    private sealed class EndlessStream(byte[]? content = null) : Stream
    {
        public long Served { get; private set; }
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => Served; set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = content is null ? count : (int)Math.Min(count, content.Length - Served);
            if (content is null) Array.Fill(buffer, (byte)' ', offset, n);
            else Array.Copy(content, Served, buffer, offset, n);
            Served += n;
            return n;
        }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
