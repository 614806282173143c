import { SettingsSkeleton } from "@/components/orgs/skeletons";

export default function Loading() {
  return <SettingsSkeleton />;
}
