using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace MentorCircles.Core.Scheduling.Reminders;

/// <summary>Configuration section <c>Mail</c> (docker-compose sets Mail__Host and Mail__Port to its mail catcher).</summary>
public sealed class MailSettings
{
    public const string Section = "Mail";
    public string Host { get; set; } = "localhost";
    public int Port { get; set; } = 25;
    public string From { get; set; } = "MentorCircles <noreply@mentorcircles.local>";
    public bool UseTls { get; set; }

    /// <summary>The bare address of <see cref="From"/>, which calendar invitations name as organizer.</summary>
    public string FromAddress => MailboxAddress.Parse(From).Address;
}

/// <summary>One message; <see cref="Ics"/> is attached as text/calendar with <see cref="IcsMethod"/> (REQUEST or CANCEL).</summary>
public sealed record OutgoingMail(string To, string ToName, string Subject, string Text, string? Ics = null, string? IcsMethod = null);

public interface IMailSender
{
    Task SendAsync(OutgoingMail mail, CancellationToken ct);
}

public sealed class SmtpMailSender(MailSettings settings) : IMailSender
{
    public async Task SendAsync(OutgoingMail mail, CancellationToken ct)
    {
        using var smtp = new SmtpClient();
        await smtp.ConnectAsync(settings.Host, settings.Port,
            settings.UseTls ? SecureSocketOptions.StartTls : SecureSocketOptions.None, ct);
        await smtp.SendAsync(ToMime(settings.From, mail), ct);
        await smtp.DisconnectAsync(true, ct);
    }

    internal static MimeMessage ToMime(string from, OutgoingMail mail)
    {
        var message = new MimeMessage { Subject = mail.Subject };
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(new MailboxAddress(mail.ToName, mail.To));
        var body = new BodyBuilder { TextBody = mail.Text };
        if (mail.Ics is not null)
        {
            var method = mail.IcsMethod ?? "REQUEST";
            var part = new MimePart("text", "calendar")
            {
                Content = new MimeContent(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(mail.Ics))),
                ContentTransferEncoding = ContentEncoding.Base64,
                FileName = method == "CANCEL" ? "cancel.ics" : "invite.ics",
            };
            part.ContentType.Parameters.Add("method", method);
            part.ContentType.Charset = "utf-8";
            body.Attachments.Add(part);
        }
        message.Body = body.ToMessageBody();
        return message;
    }
}
