using MentorCircles.Core.Accounts;
using MentorCircles.Core.Common;

namespace MentorCircles.Tests.Accounts;

public sealed class AccountRulesTests
{
    [Theory]
    [InlineData("Ada Lovelace")]
    [InlineData("  Ada Lovelace  ")]
    [InlineData("Zoë Ñúñez-O'Brien")]
    [InlineData("李小龍")]
    [InlineData("A")]
    public void DisplayName_is_accepted_when_it_has_some_text(string name)
    {
        Assert.Empty(Check(e => AccountRules.CheckDisplayName(name, e)));
    }

    [Fact]
    public void DisplayName_of_exactly_100_characters_is_accepted_even_with_spaces_around_it()
    {
        Assert.Empty(Check(e => AccountRules.CheckDisplayName(new string('a', 100), e)));
        Assert.Empty(Check(e => AccountRules.CheckDisplayName("  " + new string('a', 100) + "  ", e)));
    }

    [Fact]
    public void DisplayName_of_101_characters_is_refused_saying_how_long_it_is_and_the_limit()
    {
        var error = Assert.Single(Check(e => AccountRules.CheckDisplayName(new string('a', 101), e)));

        Assert.Equal("DisplayName", error.Field);
        Assert.Contains("101", error.Message);
        Assert.Contains("keep it to 100", error.Message);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\t\r\n")]
    [InlineData("\u00a0\u3000")]
    public void DisplayName_that_is_empty_or_only_whitespace_is_refused(string? name)
    {
        var error = Assert.Single(Check(e => AccountRules.CheckDisplayName(name, e)));

        Assert.Equal(new FieldError("DisplayName", "Enter a display name."), error);
    }

    [Theory]
    [InlineData("Ada\nLovelace")]
    [InlineData("Ada\rLovelace")]
    [InlineData("Ada\tLovelace")]
    [InlineData("Ada\u0000Lovelace")]
    [InlineData("Ada\u0007")]
    [InlineData("\u001bLovelace")]
    [InlineData("Ada\u0085Lovelace")]
    public void DisplayName_with_control_characters_is_refused(string name)
    {
        var error = Assert.Single(Check(e => AccountRules.CheckDisplayName(name, e)));

        Assert.Equal("DisplayName", error.Field);
        Assert.Contains("control characters", error.Message);
    }

    [Fact]
    public void DisplayName_with_a_lone_surrogate_is_refused()
    {
        // Built here: xunit would turn a lone surrogate in InlineData into U+FFFD.
        var name = "Ada" + (char)0xD800 + "Lovelace";
        var error = Assert.Single(Check(e => AccountRules.CheckDisplayName(name, e)));
        Assert.Equal("DisplayName", error.Field);
    }

    [Theory]
    [InlineData("Ada\u2028Lovelace")]
    [InlineData("Ada\u2029Lovelace")]
    [InlineData("Ada\u202ELovelace")]
    public void DisplayName_with_Unicode_line_separators_or_direction_overrides_is_refused(string name)
    {
        var error = Assert.Single(Check(e => AccountRules.CheckDisplayName(name, e)));

        Assert.Equal("DisplayName", error.Field);
    }

    [Theory]
    [InlineData("a@example.org")]
    [InlineData("first.last+circles@mail.example.co.uk")]
    [InlineData("o'brien@example.ie")]
    [InlineData("  padded@example.org  ")]
    [InlineData("UPPER@EXAMPLE.ORG")]
    public void Email_is_accepted_when_it_looks_like_an_address(string email)
    {
        Assert.Empty(Check(e => AccountRules.CheckEmail(email, e)));
    }

    [Theory]
    [InlineData("plainaddress")]
    [InlineData("a@localhost")]
    [InlineData("a@@example.org")]
    [InlineData("a@b@example.org")]
    [InlineData("a b@example.org")]
    [InlineData("a@exam ple.org")]
    [InlineData("Ann <ann@example.org>")]
    [InlineData("@example.org")]
    [InlineData("ann@")]
    [InlineData("ann@example.org\nbcc@example.org")]
    [InlineData("a@example.org.")]
    [InlineData("a.@example.org")]
    [InlineData(".a@example.org")]
    [InlineData("a..b@example.org")]
    [InlineData("a@-example.org")]
    [InlineData("a@example-.org")]
    [InlineData("a@[127.0.0.1]")]
    public void Email_that_is_not_an_address_is_refused_quoting_what_was_typed(string email)
    {
        var error = Assert.Single(Check(e => AccountRules.CheckEmail(email, e)));

        Assert.Equal("Email", error.Field);
        Assert.Contains("is not an email address", error.Message);
        Assert.Contains("name@example.org", error.Message);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Email_that_is_empty_is_refused(string? email)
    {
        Assert.Equal(new FieldError("Email", "Enter an email address."), Assert.Single(Check(e => AccountRules.CheckEmail(email, e))));
    }

    [Fact]
    public void Email_of_254_characters_is_accepted_and_of_255_refused()
    {
        // Labels of at most 63 characters, as DNS requires.
        var domain = string.Join('.', new string('b', 63), new string('c', 63), new string('d', 63), "org");
        var at254 = new string('a', 254 - 1 - domain.Length) + "@" + domain;
        Assert.Equal(254, at254.Length);

        Assert.Empty(Check(e => AccountRules.CheckEmail(at254, e)));
        var error = Assert.Single(Check(e => AccountRules.CheckEmail("a" + at254, e)));
        Assert.Equal(new FieldError("Email", "The email address is longer than 254 characters."), error);
    }

    [Fact]
    public void NormalizeEmail_trims_but_keeps_the_case()
    {
        Assert.Equal("Ann.Lee@Example.org", AccountRules.NormalizeEmail("  Ann.Lee@Example.org\t"));
    }

    [Theory]
    [InlineData("Europe/London")]
    [InlineData("America/Argentina/Buenos_Aires")]
    [InlineData(" Asia/Kolkata ")]
    [InlineData("UTC")]
    public void TimeZone_that_is_a_known_IANA_zone_is_accepted(string zone)
    {
        Assert.Empty(Check(e => AccountRules.CheckTimeZone(zone, e)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void TimeZone_that_is_empty_is_refused(string? zone)
    {
        Assert.Equal(new FieldError("TimeZone", "Choose a time zone."), Assert.Single(Check(e => AccountRules.CheckTimeZone(zone, e))));
    }

    [Fact]
    public void TimeZone_that_is_unknown_is_refused_naming_it_and_suggesting_real_ones()
    {
        var error = Assert.Single(Check(e => AccountRules.CheckTimeZone("Mars/Olympus_Mons", e)));

        Assert.Equal("TimeZone", error.Field);
        Assert.Contains("'Mars/Olympus_Mons' is not a known time zone", error.Message);
        Assert.Contains("Europe/London", error.Message);
    }

    [Fact]
    public void TimeZone_that_is_very_long_is_refused_with_a_short_message()
    {
        var error = Assert.Single(Check(e => AccountRules.CheckTimeZone(new string('z', 1000), e)));

        Assert.Contains(new string('z', 40) + "…'", error.Message);
        Assert.True(error.Message.Length < 200, error.Message);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(11)]
    [InlineData(200)]
    public void Password_from_10_to_200_characters_typed_twice_is_accepted(int length)
    {
        var password = new string('p', length);

        Assert.Empty(Check(e => AccountRules.CheckNewPassword(password, password, e)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("123456789")]
    public void Password_shorter_than_10_characters_is_refused(string? password)
    {
        var error = Assert.Single(Check(e => AccountRules.CheckNewPassword(password, password, e)));

        Assert.Equal(new FieldError("Password", "Choose a password of at least 10 characters."), error);
    }

    [Fact]
    public void Password_longer_than_200_characters_is_refused()
    {
        var password = new string('p', 201);

        var error = Assert.Single(Check(e => AccountRules.CheckNewPassword(password, password, e)));

        Assert.Equal(new FieldError("Password", "Keep the password to 200 characters."), error);
    }

    [Fact]
    public void Password_of_only_spaces_is_refused()
    {
        var password = new string(' ', 12);

        var error = Assert.Single(Check(e => AccountRules.CheckNewPassword(password, password, e)));

        Assert.Equal(new FieldError("Password", "The password cannot be only spaces."), error);
    }

    [Theory]
    [InlineData("correct horse battery", "correct horse batter")]
    [InlineData("correct horse battery", "Correct horse battery")]
    [InlineData("correct horse battery", null)]
    [InlineData("correct horse battery", "")]
    public void Password_and_confirmation_that_differ_are_refused_on_the_confirmation(string password, string? confirm)
    {
        var error = Assert.Single(Check(e => AccountRules.CheckNewPassword(password, confirm, e)));

        Assert.Equal("Confirm", error.Field);
        Assert.Contains("differ", error.Message);
    }

    [Fact]
    public void Each_rule_adds_to_the_same_list_so_every_problem_is_shown_at_once()
    {
        var errors = Check(e =>
        {
            AccountRules.CheckDisplayName("", e);
            AccountRules.CheckEmail("nope", e);
            AccountRules.CheckTimeZone("Mars/Olympus_Mons", e);
        });

        Assert.Equal(["DisplayName", "Email", "TimeZone"], errors.Select(e => e.Field));
        var thrown = Assert.Throws<InvalidInputException>(() => InvalidInputException.ThrowIfAny(errors));
        Assert.Equal(string.Join(" ", errors.Select(e => e.Message)), thrown.Message);
    }

    [Fact]
    public void No_errors_throw_nothing()
    {
        InvalidInputException.ThrowIfAny([]);
    }

    private static List<FieldError> Check(Action<List<FieldError>> rule)
    {
        var errors = new List<FieldError>();
        rule(errors);
        return errors;
    }
}
