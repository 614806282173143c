import { z } from "zod";

// Shared form rules for people: used by server actions and shown in the forms.

export const emailSchema = z
  .string({ error: "Enter an email address" })
  .trim()
  .toLowerCase()
  .min(1, "Enter an email address")
  .max(254, "Email address is too long")
  .pipe(z.email("Enter a valid email address"));

const COMMON = new Set([
  "password", "password1", "password12", "password123", "1234567890", "12345678910", "qwertyuiop",
  "iloveyou12", "letmein123", "welcome123", "admin12345", "qwerty1234", "abc1234567", "passw0rd12",
]);

export const passwordSchema = z
  .string({ error: "Enter a password" })
  .min(10, "Use at least 10 characters")
  .max(200, "Use at most 200 characters")
  .refine((p) => !COMMON.has(p.toLowerCase()), "This password is too common")
  .refine((p) => new Set(p).size >= 5, "Use a less repetitive password")
  .refine((p) => /[a-zA-Z]/.test(p) && /[^a-zA-Z]/.test(p), "Mix letters with digits or symbols");

export const nameSchema = (what: string, max = 80) =>
  z
    .string({ error: `Enter a ${what}` })
    .trim()
    .min(1, `Enter a ${what}`)
    .max(max, `${what[0].toUpperCase()}${what.slice(1)} must be at most ${max} characters`);
