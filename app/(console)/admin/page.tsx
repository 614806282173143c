import { redirect } from "next/navigation";
import { loadAdminPage } from "@/lib/admin/page-access";

export default async function AdminHome() {
  await loadAdminPage();
  redirect("/admin/models");
}
