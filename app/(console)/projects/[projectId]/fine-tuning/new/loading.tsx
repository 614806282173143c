import { Skeleton } from "@/components/ui/skeleton";
import { HeaderSkeleton, LoadingPage } from "@/components/projects/page-skeletons";

/** The create form: four cards of fields. */
export default function Loading() {
  return (
    <LoadingPage label="Loading the form">
      <Skeleton className="mb-3 h-7 w-28" />
      <HeaderSkeleton action={false} />
      <div className="grid max-w-4xl gap-6">
        {[2, 3, 3, 1].map((fields, i) => (
          <div key={i} className="grid gap-4 rounded-xl border p-5">
            <Skeleton className="h-5 w-36" />
            <Skeleton className="h-4 w-2/3" />
            <div className="grid gap-4 sm:grid-cols-3">
              {Array.from({ length: fields }, (_, j) => (
                <Skeleton key={j} className={fields === 1 ? "h-24 sm:col-span-3" : "h-9"} />
              ))}
            </div>
          </div>
        ))}
      </div>
    </LoadingPage>
  );
}
