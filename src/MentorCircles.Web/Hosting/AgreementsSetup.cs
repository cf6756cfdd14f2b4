using MentorCircles.Core.Agreements;

namespace MentorCircles.Web.Hosting;

/// <summary>Confidentiality agreements: the store and the service the agreement page calls.</summary>
public static class AgreementsSetup
{
    public static IServiceCollection AddAgreementsFeature(this IServiceCollection s)
    {
        s.AddSingleton<AgreementStore>();
        s.AddSingleton<AgreementService>();
        return s;
    }
}
