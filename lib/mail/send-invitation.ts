import "server-only";
import { getConfig } from "@/lib/config";
import { log } from "@/lib/log";

export function isMailConfigured() {
  return !!getConfig().SMTP_URL;
}

/**
 * Emails an invitation link when SMTP_URL is set. Returns whether it was sent; the console
 * always shows the link too, so a mail failure never loses the invitation.
 */
export async function sendInvitationEmail(input: { to: string; link: string; orgName: string; inviter: string }) {
  const config = getConfig();
  if (!config.SMTP_URL) return false;
  try {
    const nodemailer = await import("nodemailer");
    const transport = nodemailer.createTransport(config.SMTP_URL);
    await transport.sendMail({
      from: config.SMTP_FROM ?? "Gatehouse <noreply@localhost>",
      to: input.to,
      subject: `${input.inviter} invited you to ${input.orgName} on Gatehouse`,
      text: `${input.inviter} invited you to join the organization "${input.orgName}" on Gatehouse.\n\nAccept the invitation: ${input.link}\n\nThe link expires in 7 days.`,
    });
    return true;
  } catch (err) {
    // The SMTP URL may hold a password: log only the error message.
    log.warn("invitation email failed", { error: (err as Error).message });
    return false;
  }
}
