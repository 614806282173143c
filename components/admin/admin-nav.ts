import type { SidebarSection } from "@/components/console/sidebar";

/** The sidebar section instance administrators see on every console page. */
export const ADMIN_SECTION: SidebarSection = {
  title: "Admin",
  items: [
    { href: "/admin/models", label: "Models", icon: "boxes", testId: "admin-models" },
    { href: "/admin/providers", label: "Providers", icon: "plug", testId: "admin-providers" },
    { href: "/admin/limits", label: "Limits", icon: "gauge", testId: "admin-limits" },
    { href: "/admin/billing", label: "Billing", icon: "credit-card", testId: "admin-billing" },
  ],
};
