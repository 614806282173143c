import { Skeleton } from "@/components/ui/skeleton";
import { LoadingPage } from "@/components/projects/page-skeletons";

/** The playground's frame: header buttons, chat with composer, parameters panel. */
export default function Loading() {
  return (
    <LoadingPage label="Loading the playground">
      <div className="flex flex-col gap-4 lg:h-[calc(100dvh-7.5rem)]">
        <div className="flex items-center gap-2">
          <Skeleton className="mr-auto h-7 w-36" />
          <Skeleton className="h-8 w-24" />
          <Skeleton className="h-8 w-24" />
          <Skeleton className="h-8 w-24" />
        </div>
        <div className="grid min-h-0 flex-1 gap-6 lg:grid-cols-[minmax(0,1fr)_19rem]">
          <div className="flex min-h-0 flex-col gap-3">
            <Skeleton className="h-9 w-full max-w-md" />
            <Skeleton className="h-14 w-full" />
            <Skeleton className="min-h-40 flex-1 rounded-xl" />
            <Skeleton className="h-24 w-full rounded-xl" />
          </div>
          <div className="hidden flex-col gap-5 rounded-xl border p-4 lg:flex">
            {Array.from({ length: 6 }, (_, i) => (
              <div key={i} className="grid gap-2">
                <Skeleton className="h-3 w-24" />
                <Skeleton className="h-2 w-full" />
              </div>
            ))}
          </div>
        </div>
      </div>
    </LoadingPage>
  );
}
