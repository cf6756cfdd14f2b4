namespace MentorCircles.Core.Common;

/// <summary>One thing wrong with what a person typed: which field, and what to do about it.</summary>
public sealed record FieldError(string Field, string Message);

/// <summary>Thrown by services before anything is saved, so bad input never half-saves.</summary>
public sealed class InvalidInputException(IReadOnlyList<FieldError> errors)
    : Exception(string.Join(" ", errors.Select(e => e.Message)))
{
    public IReadOnlyList<FieldError> Errors { get; } = errors;

    public InvalidInputException(string field, string message) : this([new FieldError(field, message)]) { }

    public static void ThrowIfAny(List<FieldError> errors)
    {
        if (errors.Count > 0) throw new InvalidInputException(errors);
    }
}
