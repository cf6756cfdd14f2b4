namespace MentorCircles.Core.Common;

/// <summary>Thrown when the person asking may not see or change the thing asked for. Pages show "not found or no access".</summary>
public class AccessDeniedException(string message = "You do not have access to this.") : Exception(message);
